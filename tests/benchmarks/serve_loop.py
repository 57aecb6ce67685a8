"""The editor's loop: time from saving an edit to ``mkdocs serve`` serving the rebuilt page.

Atlas: one trial record's ``summary`` is edited in ``data/trials/<id>.yaml``. Floor: the same
words are added to the same summary in ``docs/trials/<id>.md``, the page's final Markdown. The
clock starts when the file is written and stops when the served page contains the new words
(polled every 20 ms over HTTP).
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


def _loop(root: Path, rel: str, page: str, edit, reps: int, timeout: float) -> list[float]:
    port = _free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=root, env=ENV,
                            stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}/{page}"
    path = root / rel
    original = path.read_text(encoding="utf-8")
    out = []
    try:
        _wait_for(url, "<html", timeout)
        time.sleep(1.0)  # let the watcher settle after the first build
        for i in range(reps):
            token = f"benchedit{i}x{port}"
            text = edit(original, token)
            assert token in text, f"the edit did not apply to {rel}"
            t0 = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            out.append(_wait_for(url, token, timeout) - t0)
            time.sleep(1.0)
    except TimeoutError as exc:
        log.seek(0)
        raise RuntimeError(f"{exc}\n{log.read().decode()[-3000:]}") from None
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        path.write_text(original, encoding="utf-8")
    return out


def editor_loop(atlas: Path, floor: Path, reps: int = 3, timeout: float = 900) -> dict:
    tid = sorted(p.stem for p in (atlas / "data" / "trials").glob("*.yaml"))[0]
    page = f"trials/{tid}.html"

    def edit_yaml(text: str, token: str) -> str:
        return text.replace("\nsummary: ", f"\nsummary: {token} ", 1)

    def edit_markdown(text: str, token: str) -> str:
        return text.replace('<div class="atlas-summary"><p>', f'<div class="atlas-summary"><p>{token} ', 1)

    a = _loop(atlas, f"data/trials/{tid}.yaml", page, edit_yaml, reps, timeout)
    f = _loop(floor, f"docs/trials/{tid}.md", page, edit_markdown, reps, timeout)
    return {"reps": reps, "record": tid, "atlas_s": statistics.median(a), "floor_s": statistics.median(f),
            "atlas_all": a, "floor_all": f}
