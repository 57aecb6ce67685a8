"""The offline bundle: the built site as a reproducible zip.

Entries are sorted and stamped with SOURCE_DATE_EPOCH (default 2025-01-01), so
the same site gives the same bytes. The zip is written to ``dist/`` and a
copy is placed under ``site/downloads/`` for the hosted site; the zip never
contains itself, nor the web server's ``404.html``.
"""
from __future__ import annotations

import os
import shutil
import time
import zipfile
from pathlib import Path

from .downloads import DOWNLOAD_DIR
from .site import BUNDLE_NAME

DEFAULT_EPOCH = 1735689600  # 2025-01-01T00:00:00Z


class BundleError(Exception):
    """The bundle cannot be made (no built site); the CLI shows the message."""


def _stamp() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    # Zip timestamps cannot predate 1980.
    return time.gmtime(max(epoch, 315532800))[:6]


def bundle(site: Path, dist: Path, name: str = BUNDLE_NAME) -> Path:
    site, dist = Path(site), Path(dist)
    if not (site / "index.html").exists():
        raise BundleError(f"{site}/index.html not found: build the site first (mkdocs build)")
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f"{name}.zip"
    inside = f"{DOWNLOAD_DIR}/{name}.zip"
    stamp = _stamp()
    # 404.html is for web servers (root-relative links by design) and is never reached offline.
    skip = {inside, "404.html"}
    files = sorted((p for p in site.rglob("*") if p.is_file() and p.relative_to(site).as_posix() not in skip),
                   key=lambda p: p.relative_to(site).as_posix())
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            info = zipfile.ZipInfo(f"{name}/{path.relative_to(site).as_posix()}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    tmp.replace(target)
    (site / DOWNLOAD_DIR).mkdir(exist_ok=True)
    shutil.copyfile(target, site / inside)
    return target
