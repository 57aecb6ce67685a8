"""Publishing: the site URL comes from ATLAS_SITE_URL. With a sub-path URL the sitemap lists every page,
every page has its canonical link and the 404 page's links work under the sub-path; without it the
build is the plain relative site. Every page has its own description (also as Open Graph) and the
record pages and home page carry JSON-LD that parses and fits schema.org."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest

from conftest import REPO, site_project
from test_structured_data import EXPECTED_TYPE, schema_problems

SITE_URL = "https://example.org/atlas/"
REAL_SITE = Path(os.environ.get("ATLAS_SITE_DIR", REPO / "site"))
ENV = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600"}


def build(root: Path, site_dir: str, site_url: str | None) -> Path:
    env = dict(ENV, **({"ATLAS_SITE_URL": site_url} if site_url is not None else {}))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", site_dir], cwd=root,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-4000:]
    return root / site_dir


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    """The fixture evidence base built twice: with a sub-path site URL, and without one."""
    root = site_project(tmp_path_factory.mktemp("publish"))
    return {"subpath": build(root, "site-subpath", SITE_URL), "plain": build(root, "site-plain", None)}


class Head(HTMLParser):
    """<meta>, <link rel=canonical>, JSON-LD bodies, and every href/src of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.json_ld: list[str] = []
        self.links: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("name") or a.get("property")):
            self.meta.setdefault(a.get("name") or a.get("property"), []).append(a.get("content") or "")
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a.get("href"))
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data


def parse(path: Path) -> Head:
    h = Head()
    h.feed(path.read_text(encoding="utf-8"))
    return h


def pages(site: Path) -> list[str]:
    """The site's pages: every HTML file but the 404 page and the redirect pages of renamed records
    (static files that point at the new page, with their own canonical link to it)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if (p.name != "404.html" or p.parent != site) and 'http-equiv="refresh"' not in p.read_text())


# ---- the site URL ---------------------------------------------------------------------------
def test_sitemap_lists_every_page_under_the_site_url(builds):
    site = builds["subpath"]
    tree = ElementTree.parse(site / "sitemap.xml")
    locs = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == len(set(locs))
    assert sorted(locs) == sorted(SITE_URL + p for p in pages(site))
    assert any(loc.endswith("/agents/trastuzumab.html") for loc in locs), "record pages belong in the sitemap"


def test_every_page_has_its_canonical_link(builds):
    site = builds["subpath"]
    for rel in pages(site):
        head = parse(site / rel)
        assert head.canonical == [SITE_URL + rel], f"{rel}: canonical {head.canonical}"
        assert head.meta.get("og:url") == [SITE_URL + rel], f"{rel}: og:url {head.meta.get('og:url')}"


def test_404_page_links_work_under_the_sub_path(builds):
    site = builds["subpath"]
    prefix = urlsplit(SITE_URL).path
    head = parse(site / "404.html")
    local = [link for link in head.links if not urlsplit(link).scheme and not link.startswith("#")]
    assert any(link.endswith(".css") for link in local) and any(link.endswith(".js") for link in local)
    problems = []
    for link in local:
        path = unquote(urlsplit(link).path)
        if not path.startswith(prefix):
            problems.append(f"{link}: not under {prefix}")
            continue
        target = site / path[len(prefix):]
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            problems.append(f"{link}: no such file in the site")
    assert not problems, "\n".join(problems)
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                       (site / "404.html").read_text(encoding="utf-8")).group(1)
    assert json.loads(config)["base"] == prefix


def test_sub_path_build_adds_only_canonical_links_to_the_plain_pages(builds):
    """The site URL changes nothing but the sitemap, the 404 page and two tags per page."""
    plain, sub = builds["plain"], builds["subpath"]
    assert pages(plain) == pages(sub)
    for rel in pages(plain):
        added = [line for line in (sub / rel).read_text(encoding="utf-8").split("\n")
                 if not re.search(r'rel="canonical"|property="og:url"', line)]
        kept = (plain / rel).read_text(encoding="utf-8").split("\n")
        assert [x for x in added if x.strip()] == [x for x in kept if x.strip()], rel


def test_without_site_url_pages_stay_relative(builds):
    site = builds["plain"]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>" not in sitemap
    for rel in pages(site):
        text = (site / rel).read_text(encoding="utf-8")
        assert 'rel="canonical"' not in text and "og:url" not in text and "example.org" not in text, rel


# ---- descriptions, Open Graph, JSON-LD in built pages ----------------------------------------
def check_heads(site: Path) -> None:
    descriptions: dict[str, str] = {}
    problems = []
    for rel in pages(site):
        head = parse(site / rel)
        desc = head.meta.get("description", [])
        if len(desc) != 1 or not desc[0].strip():
            problems.append(f"{rel}: description {desc}")
            continue
        d = desc[0]
        if len(d) > 160 or "[@" in d or "<" in d:
            problems.append(f"{rel}: description not plain or too long: {d!r}")
        if d in descriptions:
            problems.append(f"{rel}: same description as {descriptions[d]}: {d!r}")
        descriptions[d] = rel
        if head.meta.get("og:description") != [d]:
            problems.append(f"{rel}: og:description {head.meta.get('og:description')} differs from the description")
        og_type = "website" if rel == "index.html" else "article"
        if head.meta.get("og:type") != [og_type] or len(head.meta.get("og:title", [])) != 1:
            problems.append(f"{rel}: og:type {head.meta.get('og:type')}, og:title {head.meta.get('og:title')}")
        if "og:image" in head.meta:
            problems.append(f"{rel}: og:image")
        kind = rel.split("/")[0]
        record = kind in EXPECTED_TYPE and not rel.endswith("/index.html")
        if record or rel == "index.html":
            if len(head.json_ld) != 1:
                problems.append(f"{rel}: {len(head.json_ld)} JSON-LD blocks")
                continue
            data = json.loads(head.json_ld[0])
            expected = EXPECTED_TYPE[kind] if record else "Dataset"
            if data.get("@type") != expected:
                problems.append(f"{rel}: JSON-LD type {data.get('@type')}, expected {expected}")
            problems += schema_problems(data, rel)
            if data.get("description") not in (d, None) and record:
                problems.append(f"{rel}: JSON-LD description differs from the page's")
        elif head.json_ld:
            problems.append(f"{rel}: unexpected JSON-LD")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:50])
    assert len(descriptions) == len(pages(site))


def test_fixture_pages_have_distinct_descriptions_and_valid_json_ld(builds):
    check_heads(builds["subpath"])


def test_real_site_pages_have_distinct_descriptions_and_valid_json_ld():
    assert (REAL_SITE / "index.html").exists(), f"{REAL_SITE} is not built: run `make site` (make test does)"
    check_heads(REAL_SITE)


def test_home_page_dataset_names_the_review_and_licence():
    from macros.evidence import load

    review = load(REPO).bib.get("hasan2025trastuzumab")
    data = json.loads(parse(REAL_SITE / "index.html").json_ld[0])
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["isBasedOn"]["url"] == f"https://doi.org/{review.doi}"
    assert data["isBasedOn"]["name"] == review.text["title"]
    for item in data["distribution"]:
        assert (REAL_SITE / item["contentUrl"]).is_file(), item


def test_front_matter_description_wins_over_the_first_paragraph(builds):
    head = parse(builds["subpath"] / "overview" / "why-trastuzumab.html")
    assert head.meta["description"] == ["The fixture's overview page why-trastuzumab, described in its front matter."]
