"""The Trastuzumab Resistance Atlas: model, loading, checks and rendering of the evidence base.

``define_env`` is the mkdocs-macros entry point (``module_name: macros``); it only
exposes the evidence base's counts to hand-written pages (`{{ count("trials") }}`) and the
mechanism map (`{{ mechanism_map() }}`).
"""


def define_env(env):
    counts = env.conf["extra"].get("atlas_counts")
    if counts is None:  # an engine without the MkDocs hook: load the evidence base here
        from pathlib import Path

        from .evidence import load

        counts = load(Path(env.conf["config_file_path"]).parent).counts()
        env.variables["atlas_counts"] = counts

    @env.macro
    def count(kind: str) -> int:
        """Live number of records of a kind: mechanisms, agents, trials, patents, references, glossary, timeline."""
        return counts[kind]

    register_pictures(env)


def register_pictures(env):
    """``{{ mechanism_map() }}``: the map of mechanisms, for hand-written pages (the home page)."""

    @env.macro
    def mechanism_map() -> str:
        """Categories -> mechanisms -> agents as an inline SVG, every node a link (relative to the page)."""
        from .mechanism_map import mechanism_map as draw
        from .mechanisms import CATEGORY_LABELS

        eb = env.conf["extra"].get("atlas_evidence")
        if eb is None:  # an engine without the MkDocs hook: load the evidence base once
            from pathlib import Path

            from .evidence import load

            eb = env.conf["extra"]["atlas_evidence"] = load(Path(env.conf["config_file_path"]).parent)
        return draw(eb, env.page.file.src_uri, CATEGORY_LABELS)
