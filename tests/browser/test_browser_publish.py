"""The hosted site under a sub-path: a missing address gets the 404 page, styled and with working links.

The fixture evidence base is built with ATLAS_SITE_URL=https://example.org/atlas/ and served, as a
static host serves it, by answering the browser's requests for https://example.org/atlas/... from the
built folder (404.html, with status 404, for a path that is not there). Every other request is
refused and reported, so the test also proves the page needs nothing from anywhere else.
"""
from __future__ import annotations

import mimetypes
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

SITE_URL = "https://example.org/atlas/"


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    from conftest import site_project

    root = site_project(tmp_path_factory.mktemp("subpath"))
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600",
           "ATLAS_SITE_URL": SITE_URL}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], cwd=root,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-4000:]
    return root / "site"


class Host:
    """Serves ``site`` at SITE_URL for one browser context; records what it served and refused."""

    def __init__(self, context, site: Path):
        self.site = site
        self.served: list[tuple[int, str]] = []
        self.refused: list[str] = []
        self.errors: list[str] = []
        context.route("**/*", self.handle)

    def handle(self, route):
        url = route.request.url
        prefix = urlsplit(SITE_URL).path
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != SITE_URL[: SITE_URL.index("/", 8)] or not parts.path.startswith(prefix):
            self.refused.append(url)
            route.abort("blockedbyclient")
            return
        rel = unquote(parts.path[len(prefix):]) or "index.html"
        target = (self.site / rel).resolve()
        if target.is_dir():
            target = target / "index.html"
        status = 200
        if not (target.is_file() and target.is_relative_to(self.site.resolve())):
            target, status = self.site / "404.html", 404
        self.served.append((status, url))
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        route.fulfill(status=status, body=target.read_bytes(), headers={"content-type": mime})


def test_404_page_works_under_the_sub_path(chromium, subpath_site):
    context = chromium.new_context()
    context.set_default_timeout(10_000)
    host = Host(context, subpath_site)
    page = context.new_page()
    missing_page = SITE_URL + "no/such/page.html"
    # The browser logs the 404 status of the page itself as an error; anything else is a problem.
    page.on("console", lambda m: host.errors.append(f"{m.text} [{(m.location or {}).get('url')}]")
            if m.type == "error" and (m.location or {}).get("url") != missing_page else None)
    page.on("pageerror", lambda e: host.errors.append(str(e)))
    try:
        response = page.goto(missing_page, wait_until="load")
        assert response.status == 404
        assert page.locator("h1").first.inner_text().startswith("404")
        # Material's stylesheet applied: the header is a fixed bar with the theme colour.
        header = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('.md-header'));
                                          return {position: s.position, background: s.backgroundColor}; }""")
        assert header["position"] in ("sticky", "fixed") and header["background"] not in ("", "rgba(0, 0, 0, 0)"), header
        assets = [u for s, u in host.served if s == 200 and not u.endswith(".html")]
        assert any(u.endswith(".css") for u in assets) and any(u.endswith(".js") for u in assets), host.served
        missing = [u for s, u in host.served if s == 404 and u != missing_page]
        assert not missing, f"the 404 page asked for files that are not in the site: {missing}"
        # Navigation from the 404 page leads into the site.
        links = page.evaluate("() => [...document.querySelectorAll('.md-nav a[href]')].map(a => a.href)")
        assert links, "no navigation links on the 404 page"
        assert all(link.startswith(SITE_URL) for link in links), [x for x in links if not x.startswith(SITE_URL)]
        page.locator(".md-header__button.md-logo").click()
        page.wait_for_url(SITE_URL + "index.html")
        assert page.locator("h1").first.inner_text().strip()
        assert (200, SITE_URL + "index.html") in host.served
        assert not host.refused, f"requests outside the site: {host.refused}"
        assert not host.errors, f"console errors: {host.errors}"
    finally:
        context.close()
