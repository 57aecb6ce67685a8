"""Building sites: the fixture builds strictly and deterministically; every link and anchor resolves.

The real site is the one `make site` built (ATLAS_SITE_DIR, default site/); `make test` builds it first.
"""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO, replace_in, site_project, write

REAL_SITE = Path(os.environ.get("ATLAS_SITE_DIR", REPO / "site"))
ENV = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600"}


def mkdocs_build(root: Path, site_dir: str = "site") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", site_dir], cwd=root,
                          capture_output=True, text=True, env=ENV)


def bundle(root: Path, site_dir: str = "site", dist: str = "dist") -> Path:
    """The second half of `make site`: the offline zip, copied under site/downloads/."""
    result = subprocess.run([sys.executable, "-m", "macros", "bundle", "--site", site_dir, "--dist", dist], cwd=root,
                            capture_output=True, text=True, env={**ENV, "PYTHONPATH": str(root)})
    assert result.returncode == 0, result.stderr
    return root / result.stdout.strip()


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") in ("preconnect", "dns-prefetch")):
                self.links.append(a[key])


def broken_links(site: Path) -> list[str]:
    parsed: dict[Path, Links] = {}

    def parse(path: Path) -> Links:
        if path not in parsed:
            p = Links()
            p.feed(path.read_text(encoding="utf-8"))
            parsed[path] = p
        return parsed[path]

    problems = []
    # 404.html is served by a web server for any missing path, so MkDocs writes it with
    # root-relative links on purpose; it is never reached offline.
    pages = sorted(p for p in site.rglob("*.html") if p.relative_to(site).as_posix() != "404.html")
    assert pages, f"no HTML pages in {site}"
    for page in pages:
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto") or link.startswith("data:"):
                continue
            if parts.scheme or link.startswith("/"):
                problems.append(f"{page.relative_to(site)}: non-relative link {link}")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{page.relative_to(site)}: {link} -> missing file")
                continue
            if parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in parse(target).ids and parts.fragment not in ("", "__search"):
                    problems.append(f"{page.relative_to(site)}: {link} -> missing anchor")
    return problems


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    root = site_project(tmp_path_factory.mktemp("fixture"))
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr[-4000:]
    # No MkDocs warnings at all, not even ones --strict would let through.
    assert "WARNING" not in result.stderr, result.stderr
    bundle(root)
    return root


def test_fixture_builds_strictly_with_a_page_per_record(fixture_site):
    site = fixture_site / "site"
    for page in ["index.html", "mechanisms/index.html", "mechanisms/p95her2.html", "agents/lapatinib.html",
                 "trials/NCT00000001.html", "trials/beta-study.html", "patents/CN113308542.html", "trials.html",
                 "patents.html", "bibliography.html", "glossary.html", "timeline.html", "downloads.html",
                 "downloads/atlas.json", "downloads/trials.csv", "downloads/references.bib"]:
        assert (site / page).exists(), page
    assert not (fixture_site / "docs" / "trials").exists(), "generated pages are never written into docs/"


def test_home_page_shows_live_counts(fixture_site):
    html = (fixture_site / "site" / "index.html").read_text(encoding="utf-8")
    assert '<a href="trials.html">Clinical trials</a></td>\n<td>2</td>' in html
    assert '<a href="mechanisms/index.html">Mechanisms of resistance</a></td>\n<td>2</td>' in html


def test_record_pages_stay_out_of_the_sidebar(fixture_site):
    html = (fixture_site / "site" / "trials.html").read_text(encoding="utf-8")
    nav = html.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert "trials.html" in nav and "NCT00000001" not in nav and "p95her2" not in nav


def test_search_index_has_records(fixture_site):
    index = (fixture_site / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    for needle in ["DS-8201", "NCT00000001", "CN113308542", "NDUFA4L2"]:
        assert needle in index, needle


def test_every_link_and_anchor_resolves_in_fixture_site(fixture_site):
    assert broken_links(fixture_site / "site") == []


def test_builds_are_byte_identical(fixture_site):
    again = mkdocs_build(fixture_site, "site2")
    assert again.returncode == 0, again.stderr[-2000:]
    zip2 = bundle(fixture_site, "site2", "dist2")
    assert zip2.read_bytes() == (fixture_site / "dist" / zip2.name).read_bytes()
    a, b = fixture_site / "site", fixture_site / "site2"
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    different = [str(f) for f in files_a if not filecmp.cmp(a / f, b / f, shallow=False)]
    assert different == []


def test_build_refuses_evidence_with_errors(tmp_path):
    root = site_project(tmp_path)
    write(root, "data/agents/broken.yaml", "name: [unclosed\n")
    result = mkdocs_build(root)
    assert result.returncode != 0
    assert "the evidence base has errors" in result.stderr
    assert not (root / "site" / "index.html").exists()


def test_check_warnings_do_not_fail_the_strict_build(tmp_path):
    root = site_project(tmp_path)
    bib = root / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{lonely2020,\n  title = {Nobody cites me},\n  year = {2020}\n}\n")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr[-3000:]


def test_a_broken_link_in_a_page_fails_the_build(tmp_path):
    root = site_project(tmp_path)
    write(root, "docs/overview/open-questions.md", "# Q\n\nSee [nothing](../mechanisms/nothing.md) and [x](../trials.md#no-such-anchor).\n")
    result = mkdocs_build(root)
    assert result.returncode != 0
    assert "nothing.md" in result.stderr


def test_every_link_and_anchor_resolves_in_real_site():
    assert (REAL_SITE / "index.html").exists(), f"{REAL_SITE} is not built: run `make site` (make test does)"
    assert broken_links(REAL_SITE) == []


# ---- page macros in a built site ---------------------------------------------------------
def test_macros_render_in_a_hand_written_page(fixture_site):
    html = (fixture_site / "site" / "overview" / "patents-and-trials.html").read_text(encoding="utf-8")
    assert '<a href="../mechanisms/p95her2.html">p95HER2, a truncated receptor</a>' in html
    # the macro's citation is numbered with the page's own: ocana first (1), then slamon (2), then ocana again
    assert ('median PFS was <span class="atlas-figure">7.4 months</span> <sup class="atlas-cite">'
            '[<a href="#ref-2" title="Slamon et al., 2001">2</a>]</sup> among <span class="atlas-value">469</span> patients, '
            'and again <sup class="atlas-cite">[<a href="#ref-1"') in html
    refs = html.split('<ol class="atlas-refs">', 1)[1].split("</ol>", 1)[0]
    assert refs.count("<li ") == 2 and refs.index("bib-ocana2006trastuzumab") < refs.index("bib-slamon2001chemotherapy")
    assert '<div class="atlas-card atlas-card-trial">' in html
    assert 'data-state-prefix="trial-table-1."' in html and 'data-state-prefix="trial-table-2."' in html
    assert 'data-atlas-table="patent-table-1"' in html


def test_a_wrong_macro_call_stops_the_build_with_page_and_line(tmp_path):
    root = site_project(tmp_path)
    write(root, "docs/overview/open-questions.md", "# Q\n\nText.\n\nSee {{ record_link(\"trials\", \"NCT0000001\") }}.\n")
    result = mkdocs_build(root)
    assert result.returncode != 0
    assert ("docs/overview/open-questions.md:5: record_link: no trial 'NCT0000001' in data/trials/ "
            "(did you mean 'NCT00000001'?)") in result.stderr
    assert not (root / "site" / "overview" / "open-questions.html").exists()
    # A computed argument escapes the check; the macro itself stops the build, with the same message.
    write(root, "docs/overview/open-questions.md",
          '# Q\n\n{% set kind = "trials" %}\nSee {{ record_link(kind, "NCT0000001") }}.\n')
    assert "\n" not in subprocess.run([sys.executable, "-m", "macros", "check"], cwd=root, capture_output=True, text=True,
                                      env={**ENV, "PYTHONPATH": str(root)}).stdout.strip()
    result = mkdocs_build(root)
    assert result.returncode != 0
    assert ("docs/overview/open-questions.md:4: record_link: no trial 'NCT0000001' in data/trials/ "
            "(did you mean 'NCT00000001'?)") in result.stderr


def test_the_build_state_is_no_page_variable(tmp_path):
    root = site_project(tmp_path)
    write(root, "docs/overview/open-questions.md", "# Q\n\n{{ atlas_counts }}\n")
    result = mkdocs_build(root)
    assert result.returncode != 0 and "'atlas_counts' is undefined" in result.stderr


def test_serve_rebuilds_pick_up_edits_to_the_core(tmp_path):
    """`mkdocs serve` builds again in the same process with a fresh config: an edit to a core module
    (here the trial page, and the page macros) must show in the next build, as it does in serve."""
    root = site_project(tmp_path)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        "root = Path(sys.argv[1])\n"
        "def build_once():\n"
        "    config = load_config(config_file=str(root / 'mkdocs.yml'), site_dir=str(root / 'site'))\n"
        "    config.plugins.on_startup(command='serve', dirty=False)\n"
        "    build(config)\n"
        "    return ((root / 'site/trials/NCT00000001.html').read_text(), (root / 'site/index.html').read_text())\n"
        "trial, home = build_once()\n"
        "assert 'ClinicalTrials.gov (edited)' not in trial and 'edited-count' not in home\n"
        "for rel, old, new in [('macros/trials.py', 'on ClinicalTrials.gov', 'on ClinicalTrials.gov (edited)'),\n"
        "                      ('macros/page_macros.py', 'return counts[kind]', 'return f\"edited-count {counts[kind]}\"')]:\n"
        "    p = root / rel\n"
        "    text = p.read_text()\n"
        "    assert old in text, (rel, old)\n"
        "    p.write_text(text.replace(old, new))\n"
        "trial, home = build_once()\n"
        "assert 'ClinicalTrials.gov (edited)' in trial, 'the trial page came from the old code'\n"
        "assert 'edited-count 2' in home, 'the macro came from the old code'\n"
        "print('ok')\n")
    result = subprocess.run([sys.executable, "-c", script, str(root)], cwd=root, capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"


def test_generated_files_go_to_a_folder_of_the_build_that_is_removed_after_it(tmp_path):
    """The hook writes generated pages outside docs/ and removes them, whether the build passes or fails."""
    root = site_project(tmp_path)
    docs_before = sorted(p.relative_to(root / "docs") for p in (root / "docs").rglob("*"))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**ENV, "TMPDIR": str(scratch)}
    ok = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr[-3000:]
    assert (root / "site" / "mechanisms" / "p95her2.html").is_file()
    write(root, "docs/broken.md", "# Broken\n\n[gone](nowhere.md)\n")
    failed = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, capture_output=True, text=True, env=env)
    assert failed.returncode != 0
    assert list(scratch.iterdir()) == []
    assert sorted(p.relative_to(root / "docs") for p in (root / "docs").rglob("*")) == sorted(docs_before + [Path("broken.md")])


def test_written_files_are_the_generated_files(tmp_path):
    from macros.atlas_build import AtlasBuild

    build = AtlasBuild.load(site_project(tmp_path))
    expected = build.files()
    written = build.write_files(tmp_path / "out")
    assert sorted(written) == sorted(expected)
    for path, content in expected.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        assert (tmp_path / "out" / path).read_bytes() == data, path
    assert build.is_generated("mechanisms/p95her2.md") and not build.is_generated("index.md")


_GC_PROBE = """
import gc, sys
from mkdocs.config import load_config
from mkdocs.commands.build import build
try:
    build(load_config("mkdocs.yml", site_dir=sys.argv[1]))
    outcome = "built"
except Exception as exc:
    outcome = type(exc).__name__
print(outcome, gc.isenabled(), gc.get_freeze_count() > 0)
"""


def test_the_cycle_collector_is_on_after_a_build_and_after_a_refused_one(tmp_path):
    """The hook holds the collector off while the evidence base loads; it must never leave it off."""
    root = site_project(tmp_path)
    run = lambda: subprocess.run([sys.executable, "-c", _GC_PROBE, str(tmp_path / "out")], cwd=root,
                                 capture_output=True, text=True, env=ENV)
    ok = run()
    assert ok.stdout.split() == ["built", "True", "True"], ok.stderr[-3000:]
    write(root, "data/agents/broken.yaml", "name: [unclosed\n")
    refused = run()
    assert refused.stdout.split() == ["Abort", "True", "False"], refused.stderr[-3000:]


_RAW_HTML_PROBE = """
import sys
import markdown.preprocessors as pre
from mkdocs.config import load_config
from mkdocs.commands.build import build

reached = []  # record pages whose HTML blocks still reached Python-Markdown's HTML parser
parse = pre.HtmlBlockPreprocessor.run
def run(self, lines):
    if any(line.startswith('<dl class="atlas-facts"><dt>') for line in lines):  # a record page's facts
        reached.append(lines[0])
    return parse(self, lines)
pre.HtmlBlockPreprocessor.run = run
build(load_config("mkdocs.yml", site_dir=sys.argv[1]))
print(len(reached))
"""


def test_the_build_hands_generated_html_blocks_past_the_html_parser(tmp_path):
    """The hook adds ``raw_html`` to the build: no record page's fact list reaches html_block."""
    root = site_project(tmp_path)
    run = lambda out: subprocess.run([sys.executable, "-c", _RAW_HTML_PROBE, str(tmp_path / out)], cwd=root,
                                     capture_output=True, text=True, env=ENV)
    probe = run("out")
    assert probe.returncode == 0, probe.stderr[-3000:]
    assert probe.stdout.split() == ["0"]
    # Without the hook's extension the same probe sees them (the probe can fail).
    replace_in(root, "macros/mkdocs_hook.py", 'config["markdown_extensions"].extend(build.markdown_extensions())', "pass")
    probe = run("out2")
    assert probe.returncode == 0 and int(probe.stdout) > 3, probe.stderr[-3000:]
