"""The Trastuzumab Resistance Atlas: model, loading, checks and rendering of the evidence base.

``define_env`` is the mkdocs-macros entry point (``module_name: macros``): a thin adapter that
registers the page macros (``page_macros.PageMacros``) of the build the MkDocs hook made, or of
its own build under an engine that runs no hook.
"""


def define_env(env):
    from pathlib import Path

    from .atlas_build import CONFIG_ATTRIBUTE, AtlasBuild

    build = getattr(env.conf, CONFIG_ATTRIBUTE, None)
    if build is None:  # an engine without the MkDocs hook: load (and check) the evidence base here
        build = AtlasBuild.load(Path(env.conf["config_file_path"]).parent)

    def current_page() -> tuple[str, str, str]:
        page = env.page
        docs = Path(env.conf["docs_dir"])
        root = Path(env.conf["config_file_path"]).parent
        src = docs / page.file.src_path
        shown = src.relative_to(root).as_posix() if src.is_relative_to(root) else src.as_posix()
        return page.file.src_uri, shown, src.read_text(encoding="utf-8") if src.is_file() else ""

    for name, fn in build.macros(current_page).items():
        env.macro(fn, name)
