"""The Trastuzumab Resistance Atlas: model, loading, checks and rendering of the evidence base.

``define_env`` is the mkdocs-macros entry point (``module_name: macros``); it only
exposes the evidence base's counts to hand-written pages (`{{ count("trials") }}`).
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
