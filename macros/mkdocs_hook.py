"""MkDocs hook: a thin adapter from MkDocs events to one ``AtlasBuild`` (``macros.atlas_build``).

on_config        - load and check the evidence base (refuse to build on errors) and put the build
                   on the config, where ``define_env`` (the macros plugin's entry point) finds it;
                   add the build's Python-Markdown extensions
on_files         - write the generated pages and download files to a folder of the build's own
                   (never docs/) and add them to the site
on_post_build    - remove that folder
on_page_markdown - citations (the page's and its macros') on hand-written pages; their description
                   and structured data (page.meta, placed by overrides/main.html)
on_page_content  - glossary tooltips on hand-written pages (built in the HTML, never as Markdown)
"""
from __future__ import annotations

import atexit
import gc
import importlib
import logging
import shutil
import sys
import tempfile
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("mkdocs.hooks.atlas")
# The attribute of the MkDocs config object that holds the folder of this build's generated files.
GENERATED_DIR = "atlas_generated_dir"


def fresh_core():
    """The ``macros.atlas_build`` module, imported afresh from this project.

    `mkdocs serve` keeps imported modules between rebuilds; dropping ``macros.*`` here (the
    first event of every build) makes edits to the core take effect, in this hook and in the
    macros plugin, which imports the package after this event."""
    for name in [m for m in sys.modules if m == "macros" or m.startswith("macros.")]:
        if name != __name__:
            del sys.modules[name]
    if sys.path[:1] != [str(ROOT)]:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module("macros.atlas_build")


def build_of(config):
    """The build ``on_config`` put on this config."""
    return getattr(config, importlib.import_module("macros.atlas_build").CONFIG_ATTRIBUTE)


# Before the macros plugin (priority 0), so that its define_env finds the build already made.
@event_priority(50)
def on_config(config, **kwargs):
    from mkdocs.exceptions import PluginError

    core = fresh_core()
    # The evidence base is many objects that live for the whole build, made with almost no
    # reference cycles: the cycle collector, whose full scans grow with it, is held off while it
    # loads and is checked (``evidence.collector_paused``), and it is frozen out of those scans
    # afterwards (see on_files). Under `mkdocs serve` the last build's objects are unfrozen
    # first, so that they can go.
    gc.unfreeze()
    try:
        # Edit links and last-changed dates: git is read here, once per build.
        build = core.AtlasBuild.load(Path(config["config_file_path"]).parent,
                                     edit_base=(config["extra"].get("atlas") or {}).get("edit_base", ""))
    except core.EvidenceErrors as exc:
        raise PluginError(str(exc)) from None
    gc.freeze()
    for f in build.report.findings:
        # Editorial warnings are the check's business, not MkDocs warnings (which --strict turns into failures).
        log.info(f.format())
    setattr(config, core.CONFIG_ATTRIBUTE, build)
    config["markdown_extensions"].extend(build.markdown_extensions())
    return config


def on_files(files, config, **kwargs):
    from mkdocs.structure.files import File

    # The generated pages go to a folder of this build's own (never docs/), read by MkDocs like any
    # source; it is removed when the build ends.
    out = Path(tempfile.mkdtemp(prefix="atlas-pages-"))
    setattr(config, GENERATED_DIR, out)
    atexit.register(shutil.rmtree, out, ignore_errors=True)  # a failed build's folder too
    for path in build_of(config).write_files(out):
        files.append(File.generated(config, path, abs_src_path=str(out / path)))
    # What writing the pages left in cycles goes now; what is left lives until the build ends.
    gc.collect()
    gc.freeze()
    return files


def _remove_generated(config) -> None:
    out = getattr(config, GENERATED_DIR, None)
    if out is not None:
        shutil.rmtree(out, ignore_errors=True)


def on_post_build(config, **kwargs):
    _remove_generated(config)


# After the macros plugin (priority 0): the citations its macros wrote are numbered with the page's.
@event_priority(-50)
def on_page_markdown(markdown, page, config, files, **kwargs):
    build = build_of(config)
    if build.is_generated(page.file.src_uri):
        return markdown
    page.meta.update(build.doc_page_meta(page.file.src_uri, markdown, page.meta,
                                         config["site_name"], config["site_description"]))
    return build.process_doc_page(page.file.src_uri, markdown)


def on_page_content(html, page, config, files, **kwargs):
    build = build_of(config)
    if build.is_generated(page.file.src_uri):
        return html
    return build.process_doc_html(html)
