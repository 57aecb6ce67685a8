"""The editor's loop: time from saving an edit to ``mkdocs serve`` serving the rebuilt page.

Atlas: one trial record's ``summary`` is edited in ``data/trials/<id>.yaml``. Floor: the same
words are added to the same summary in ``docs/trials/<id>.md``, the page's final Markdown. The
clock starts when the file is written and stops when the served page contains the new words
(polled every 20 ms over HTTP). Both servers run at once and the edits alternate between them.
"""
from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from floor import ENV


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, needle: str, timeout: float) -> float:
    t_end = time.perf_counter() + timeout
    while time.perf_counter() < t_end:
        body = _get(url)
        if body is not None and needle in body:
            return time.perf_counter()
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not show {needle!r} within {timeout:.0f} s")


class _Server:
    """One ``mkdocs serve`` of a project, and the time from saving an edit of one file to the
    served page showing it."""

    def __init__(self, root: Path, rel: str, page: str, edit, timeout: float):
        self.path, self.edit, self.timeout = root / rel, edit, timeout
        self.original = self.path.read_text(encoding="utf-8")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/{page}"
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
                                     cwd=root, env=ENV, stdout=self.log, stderr=self.log)

    def ready(self) -> None:
        self._wait(lambda: _wait_for(self.url, "<html", self.timeout))

    def measure(self, i: int) -> float:
        token = f"benchedit{i}x{self.port}"
        text = self.edit(self.original, token)
        assert token in text, f"the edit did not apply to {self.path}"
        t0 = time.perf_counter()
        self.path.write_text(text, encoding="utf-8")
        return self._wait(lambda: _wait_for(self.url, token, self.timeout)) - t0

    def _wait(self, wait) -> float:
        try:
            return wait()
        except TimeoutError as exc:
            self.log.seek(0)
            raise RuntimeError(f"{exc}\n{self.log.read().decode()[-3000:]}") from None

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()
        self.path.write_text(self.original, encoding="utf-8")


def editor_loop(atlas: Path, floor: Path, reps: int = 3, timeout: float = 900) -> dict:
    """Both servers run side by side (idle between edits); the edits alternate between them, in
    rotating order, so that the drift of a shared machine hits both alike."""
    tid = sorted(p.stem for p in (atlas / "data" / "trials").glob("*.yaml"))[0]
    page = f"trials/{tid}.html"

    def edit_yaml(text: str, token: str) -> str:
        return text.replace("\nsummary: ", f"\nsummary: {token} ", 1)

    def edit_markdown(text: str, token: str) -> str:
        return text.replace('<div class="atlas-summary"><p>', f'<div class="atlas-summary"><p>{token} ', 1)

    servers: dict[str, _Server] = {}
    try:
        for name, root, rel, edit in (("atlas", atlas, f"data/trials/{tid}.yaml", edit_yaml),
                                      ("floor", floor, f"docs/trials/{tid}.md", edit_markdown)):
            servers[name] = _Server(root, rel, page, edit, timeout)
            servers[name].ready()  # one first build at a time, as the timed rebuilds are
        time.sleep(1.0)  # let the watchers settle after the first builds
        names = list(servers)
        times: dict[str, list[float]] = {name: [] for name in names}
        for i in range(reps):
            for name in (names if i % 2 == 0 else names[::-1]):
                times[name].append(servers[name].measure(i))
                time.sleep(1.0)
    finally:
        for server in servers.values():
            server.close()
    return {"reps": reps, "record": tid, "atlas_s": statistics.median(times["atlas"]),
            "floor_s": statistics.median(times["floor"]), "atlas_all": times["atlas"], "floor_all": times["floor"]}
