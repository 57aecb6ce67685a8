"""MkDocs hook: a thin adapter from MkDocs events to the atlas core (``macros.site``).

on_config  - load the evidence base and refuse to build when the check finds errors
on_files   - add the generated pages and download files (no stub files in docs/)
on_page_markdown - citations and glossary tooltips on hand-written pages
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("mkdocs.hooks.atlas")
_state: dict = {}


def _fresh_core():
    # `mkdocs serve` keeps imported modules; drop ours so edits to the core take effect on rebuild.
    for name in [m for m in sys.modules if m == "macros" or m.startswith("macros.")]:
        if name != __name__:
            del sys.modules[name]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from macros import checks, downloads, evidence, site

    return checks, downloads, evidence, site


# Before the macros plugin (priority 0), so that its define_env finds the counts already made.
@event_priority(50)
def on_config(config, **kwargs):
    from mkdocs.exceptions import PluginError

    checks, downloads, evidence, site = _fresh_core()
    eb = evidence.load(Path(config["config_file_path"]).parent)
    report = checks.check(eb)
    for f in report.findings:
        # Editorial warnings are the check's business, not MkDocs warnings (which --strict turns into failures).
        log.info(f.format())
    if report.errors:
        raise PluginError(f"the evidence base has errors; run `python -m macros check`. {report.summary()}")
    _state.update(eb=eb, site=site, downloads=downloads, generated=set())
    config["extra"]["atlas_counts"] = eb.counts()
    return config


def on_files(files, config, **kwargs):
    from mkdocs.structure.files import File

    eb, site = _state["eb"], _state["site"]
    generated = set()
    for path, markdown in site.build_pages(eb).items():
        files.append(File.generated(config, path, content=markdown))
        generated.add(path)
    for path, data in _state["downloads"].downloads(eb).items():
        files.append(File.generated(config, path, content=data))
    _state["generated"] = generated
    # Line numbers serve the check and the bibliography's backlinks, both done now; the parsed YAML
    # nodes behind them are the largest part of the evidence base, so let the rest of the build reuse that memory.
    eb.loaded.where.clear()
    eb.loaded.list_where.clear()
    return files


def on_page_markdown(markdown, page, config, files, **kwargs):
    if page.file.src_uri in _state.get("generated", ()):
        return markdown
    return _state["site"].process_doc_page(_state["eb"], page.file.src_uri, markdown)
