"""The Trastuzumab Resistance Atlas: model, loading, checks and rendering of the evidence base.

``define_env`` is the mkdocs-macros entry point (``module_name: macros``); it only
exposes the evidence base's counts and a citation helper to hand-written pages.
"""


def define_env(env):
    from pathlib import Path

    from .evidence import load

    root = Path(env.conf["config_file_path"]).parent
    eb = load(root)
    counts = eb.counts()
    env.variables["atlas_counts"] = counts

    @env.macro
    def count(kind: str) -> int:
        """Live number of records of a kind: mechanisms, agents, trials, patents, references, glossary, timeline."""
        return counts[kind]
