"""Hostile and broken input: every case ends in a clear ``path:line: field: message`` from the
check, or in a correct, harmless render. Never a traceback, a hang, live markup or a silent loss.

Each case runs under a generous time limit (a hang fails the test; speed is the benchmark's
business). The table follows the sections of the issue that listed them.
"""
from __future__ import annotations

import json
import os
import re
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import replace_in, write
from macros.checks import check
from macros.downloads import downloads
from macros.evidence import load
from macros.page import PageWriter
from macros.site import build_pages
from test_security import assert_harmless, render_hand_written_page

LIMIT_S = 60

TRIAL = "data/trials/NCT00000001.yaml"
AGENT = "data/agents/lapatinib.yaml"
GLOSSARY = "data/glossary.yaml"
TIMELINE = "data/timeline.yaml"
BIB = "references.bib"


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: int = LIMIT_S):
    def stop(signum, frame):
        raise Hang(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def errors_of(root: Path) -> list[str]:
    with time_limit():
        return [f.format() for f in check(load(root)).errors]


def append(root: Path, rel: str, text: str) -> None:
    with open(root / rel, "a", encoding="utf-8") as f:
        f.write(text)


def agent(root: Path, name: str, extra: str = "", *, rid: str = "zz-agent") -> None:
    write(root, f"data/agents/{rid}.yaml", f"name: {name}\nclass: other\n{extra}")


def summary(root: Path, text: str) -> None:
    """A Markdown field (an agent's summary) holding ``text``, written as a YAML literal-safe scalar."""
    write(root, "data/agents/zz-agent.yaml", "name: Z\nclass: other\nsummary: " + json.dumps(text) + "\n")


def symlink(root: Path, rel: str, target: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


# ---- error cases: (id, how to break the fixture, the exact error lines) -------------------------
def _merge_key(root):
    replace_in(root, TRIAL, "  - label: Trastuzumab + chemotherapy", "  - &a0\n    label: Trastuzumab + chemotherapy",
               "  - label: Chemotherapy\n", "  - <<: *a0\n    label: Placebo\n")


def _alias_bomb(root):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    write(root, "data/agents/zz-agent.yaml", "name: Z\nclass: other\nunknown_key:\n" +
          "".join(f"  {line}\n" for line in lines))


def _fifo(root):
    os.mkfifo(root / "data/agents/pipe.yaml")


def _fifo_link(root):
    os.mkfifo(root / "pipe")
    symlink(root, "data/agents/pipe.yaml", str(root / "pipe"))


def _loop(root):
    symlink(root, "data/agents/a.yaml", str(root / "data/agents/b.yaml"))
    symlink(root, "data/agents/b.yaml", str(root / "data/agents/a.yaml"))


def _docs_loop(root):
    symlink(root, "docs/overview/a.md", str(root / "docs/overview/b.md"))
    symlink(root, "docs/overview/b.md", str(root / "docs/overview/a.md"))


def _glossary_dir(root):
    (root / GLOSSARY).unlink()
    (root / GLOSSARY).mkdir()


def _bib_dir(root):
    text = (root / BIB).read_text()
    (root / BIB).unlink()
    (root / BIB).mkdir()
    return text


def _outside(root):
    outside = root.parent / "outside.yaml"
    outside.write_text("name: Outside\nclass: other\n")
    symlink(root, "data/agents/outside.yaml", str(outside))


def _bib_not_bibtex(root):
    (root / BIB).unlink()
    symlink(root, BIB, "data/glossary.yaml")


def _hundred_and_one_citations(root):
    summary(root, " ".join(["[@slamon2001chemotherapy]"] * 101))


def _newline_name(root):
    write(root, "data/agents/bad\nname.yaml", "name: X\nclass: other\n")


def _bib_entry(root, entry: str) -> None:
    append(root, BIB, "\n" + entry + "\n")
    write(root, "docs/overview/open-questions.md", "# Q\n\nCites [@zz2020].\n")


ERROR_CASES = [
    # 1. script injection: refused before it can reach a page
    ("glossary-cr", lambda r: append(r, GLOSSARY, '- term: CRTERM\n  expansion: "ok\\r<script>alert(1)</script>"\n'),
     ["data/glossary.yaml:11: [4].expansion: control character U+000D is not allowed (only newline and tab)"]),
    ("glossary-nul", lambda r: append(r, GLOSSARY, '- term: "NUL\\0"\n  expansion: x\n'),
     ["data/glossary.yaml:10: [4].term: control character U+0000 is not allowed (only newline and tab)"]),
    ("glossary-ls", lambda r: append(r, GLOSSARY, '- term: LS\n  expansion: "a\\Lb"\n'),
     ["data/glossary.yaml:11: [4].expansion: line break U+2028 is not allowed in a one-line field"]),
    ("glossary-ps", lambda r: append(r, GLOSSARY, '- term: PS\n  expansion: "a\\Pb"\n'),
     ["data/glossary.yaml:11: [4].expansion: line break U+2029 is not allowed in a one-line field"]),
    ("summary-private-use", lambda r: summary(r, "a `\ue000` b"),
     ["data/agents/zz-agent.yaml:3: summary: private-use character U+E000 is not allowed"]),
    ("summary-cr", lambda r: summary(r, "a\rb"),
     ["data/agents/zz-agent.yaml:3: summary: control character U+000D is not allowed (only newline and tab)"]),
    # 2. tracebacks
    ("merge-key", _merge_key,
     ["data/trials/NCT00000001.yaml:12: file: YAML merge keys (<<) are not accepted: write the fields out"]),
    ("dangling-link", lambda r: symlink(r, "data/agents/gone.yaml", "nowhere.yaml"),
     ["data/agents/gone.yaml:1: file: broken symbolic link (its target does not exist)"]),
    ("link-loop", _loop,
     ["data/agents/a.yaml:1: file: symbolic link loop", "data/agents/b.yaml:1: file: symbolic link loop"]),
    ("docs-dangling-link", lambda r: symlink(r, "docs/overview/gone.md", "nowhere.md"),
     ["docs/overview/gone.md:1: file: broken symbolic link (its target does not exist)"]),
    ("docs-link-loop", _docs_loop,
     ["docs/overview/a.md:1: file: symbolic link loop", "docs/overview/b.md:1: file: symbolic link loop"]),
    ("glossary-is-a-folder", _glossary_dir, ["data/glossary.yaml:1: file: is a folder, not a file"]),
    ("docs-not-utf8", lambda r: write(r, "docs/overview/latin.md", b"# L\n\nCaf\xe9\n"),
     ["docs/overview/latin.md:3: file: not valid UTF-8 (byte 0xE9)"]),
    ("hr-overflow", lambda r: replace_in(r, TRIAL, "    measure: median", "    measure: median\n    hr: 1" + "0" * 400),
     ["data/trials/NCT00000001.yaml:17: outcomes[0].hr: number too large (at most 9,007,199,254,740,991 either way)"]),
    ("deep-list", lambda r: summary(r, "\n".join("    " * i + "- x" for i in range(60))),
     ["data/agents/zz-agent.yaml:3: summary: nested too deep (lists or quotes more than 16 levels)"]),
    ("deep-quote", lambda r: summary(r, ">" * 500 + " x"),
     ["data/agents/zz-agent.yaml:3: summary: nested too deep (lists or quotes more than 16 levels)"]),
    # 3. hangs
    ("alias-bomb", _alias_bomb,
     ["data/agents/zz-agent.yaml:4: file: more than 50,000 values once aliases are expanded (an alias bomb?)"]),
    ("fifo", _fifo, ["data/agents/pipe.yaml:1: file: not a regular file (a pipe, device or socket); not read"]),
    ("fifo-link", _fifo_link, ["data/agents/pipe.yaml:1: file: not a regular file (a pipe, device or socket); not read"]),
    ("dev-zero", lambda r: symlink(r, "data/agents/zero.yaml", "/dev/zero"),
     ["data/agents/zero.yaml:1: file: symbolic link to something outside the repository (not read)"]),
    *[(f"1mb-{name}", (lambda r, p=pattern: summary(r, p * (1_000_000 // len(p)))),
       [f"data/agents/zz-agent.yaml:1: file: too large: {1_000_000 // len(pattern) * len(pattern) + 33:,} bytes "
        "(at most 1,000,000)"])
      for name, pattern in [("brackets", "["), ("links", "[a]("), ("emphasis", "*a"), ("lt", "<")]],
    *[(f"100kb-{name}", (lambda r, p=pattern: summary(r, p * (100_000 // len(p)))),
       [f"data/agents/zz-agent.yaml:3: summary: too long: {100_000 // len(pattern) * len(pattern)} characters (at most 10000)"])
      for name, pattern in [("brackets", "["), ("links", "[a]("), ("emphasis", "*a"), ("lt", "<")]],
    ("20kb-brackets", lambda r: summary(r, "[" * 20_000),
     ["data/agents/zz-agent.yaml:3: summary: too long: 20000 characters (at most 10000)"]),
    ("many-brackets", lambda r: summary(r, "[" * 5000),
     ["data/agents/zz-agent.yaml:3: summary: too many '[' (5000; at most 300)"]),
    ("many-citations", _hundred_and_one_citations,
     ["data/agents/zz-agent.yaml:3: summary: too many citations (101; at most 100)"]),
    ("5mb-bibtex-note", lambda r: append(r, BIB, "@misc{big,\n  title = {Big},\n  note = {" + "x " * 2_500_000 + "}\n}\n"),
     ["references.bib:1: file: too large: 5,000," + "{n}" + " bytes (at most 4,000,000)"]),
    # 4. silent loss
    ("id-index", lambda r: write(r, "data/mechanisms/index.yaml", "title: T\ncategory: other\nsummary: s\n"),
     ["data/mechanisms/index.yaml:1: id: 'index': this id is taken by the page mechanisms/index.md "
      "(the list of all mechanisms); choose another id"]),
    ("docs-page-named-like-a-generated-one", lambda r: write(r, "docs/trials.md", "# Mine\n"),
     ["docs/trials.md:1: file: the atlas generates a page of this name; rename this one"]),
    ("values-1-and-quoted-1", lambda r: replace_in(r, TRIAL, '"Chemotherapy": 4.6', '"Chemotherapy": 4.6, 1: 5, "1": 6'),
     ["data/trials/NCT00000001.yaml:19: file: duplicate key '1' (first at line 19)"]),
    ("glossary-yml", lambda r: (r / GLOSSARY).rename(r / "data/glossary.yml"),
     ["data/glossary.yml:1: file: this file is not read: data/ holds only agents/, glossary.yaml, mechanisms/, "
      "patents/, timeline.yaml, trials/; did you mean glossary.yaml?"]),
    ("subfolder", lambda r: write(r, "data/agents/sub/x.yaml", "name: X\nclass: other\n"),
     ["data/agents/sub:1: file: a folder inside data/agents/ is not read: record files sit directly in data/agents/"]),
    ("misspelt-folder", lambda r: write(r, "data/agent/x.yaml", "name: X\nclass: other\n"),
     ["data/agent:1: file: a folder is not read: data/ holds only agents/, glossary.yaml, mechanisms/, patents/, "
      "timeline.yaml, trials/; did you mean agents/?"]),
    ("extra-list-file", lambda r: write(r, "data/glossary-extra.yaml", "- term: X\n  expansion: Y\n"),
     ["data/glossary-extra.yaml:1: file: this file is not read: data/ holds only agents/, glossary.yaml, "
      "mechanisms/, patents/, timeline.yaml, trials/; did you mean glossary.yaml?"]),
    ("hidden-file", lambda r: write(r, "data/agents/.bad.yaml", "name: X\nclass: other\n"),
     ["data/agents/.bad.yaml:1: id: '.bad': an id must be a lowercase slug [a-z0-9][a-z0-9-]*"]),
    ("link-to-folder", lambda r: symlink(r, "data/agents/more", str(r / "data/mechanisms")),
     ["data/agents/more:1: file: a folder inside data/agents/ is not read: record files sit directly in data/agents/"]),
    ("bibtex-missing-comma", lambda r: _bib_entry(r, "@article{zz2020,\n  title = {T},\n  journal = {J}\n  year = {2021}\n}"),
     ["references.bib:53: zz2020.journal: a comma is missing before the field 'year', which became part of this value"]),
    # 5. bad data
    *[(f"date-{d}", (lambda r, d=d: replace_in(r, TIMELINE, "- date: 1998", f"- date: {d}")),
       [f"data/timeline.yaml:{line}: [0].date: {d} is not a date in the calendar"])
      for d, line in [("1998-02-30", 1), ("1999-02-29", 1), ("2022-99-99", 1)]],
    ("date-trailing-newline", lambda r: replace_in(r, TIMELINE, "- date: 1998", '- date: "1998\\n"'),
     ["data/timeline.yaml:1: [0].date: date must be YYYY, YYYY-MM or YYYY-MM-DD"]),
    ("patent-date", lambda r: replace_in(r, "data/patents/CN113308542.yaml", "published: 2021-08-27", "published: 2021-02-30"),
     ["data/patents/CN113308542.yaml:2: published: 2021-02-30 is not a date in the calendar"]),
    *[(f"hr-{v}", (lambda r, v=v: replace_in(r, TRIAL, "    measure: median", f"    measure: median\n    hr: {v}")),
       ["data/trials/NCT00000001.yaml:17: outcomes[0].hr: input should be a finite number (not .nan or .inf)"])
      for v in (".nan", ".inf", "-.inf")],
    ("values-nan", lambda r: replace_in(r, TRIAL, '"Chemotherapy": 4.6', '"Chemotherapy": .nan'),
     ["data/trials/NCT00000001.yaml:19: outcomes[0].values.Chemotherapy: input should be a finite number (not .nan or .inf)"]),
    ("tag-set", lambda r: agent(r, "!!set {a, b}"),
     ["data/agents/zz-agent.yaml:1: file: YAML tag !!set is not accepted (only plain values, lists and mappings)"]),
    ("tag-binary", lambda r: agent(r, "!!binary aGVsbG8gd29ybGQ="),
     ["data/agents/zz-agent.yaml:1: file: YAML tag !!binary is not accepted (only plain values, lists and mappings)"]),
    ("tag-custom", lambda r: agent(r, "!mine text"),
     ["data/agents/zz-agent.yaml:1: file: YAML tag !mine is not accepted (only plain values, lists and mappings)"]),
    ("pandoc-missing-key", lambda r: summary(r, "See [see @nobody2000, p. 5; -@slamon2001chemotherapy]."),
     ["data/agents/zz-agent.yaml:3: summary: unknown reference key 'nobody2000' (not in references.bib)"]),
    ("unclosed-citation", lambda r: summary(r, "Unclosed [@slamon2001chemotherapy and more."),
     ["data/agents/zz-agent.yaml:3: summary: unclosed citation '[@slamon2001chemotherapy' (no closing ']')"]),
    ("docs-unclosed-citation", lambda r: write(r, "docs/overview/open-questions.md", "# Q\n\nText\nmore [see @ocana2006trastuzumab\n"),
     ["docs/overview/open-questions.md:4: citation: unclosed citation '[@ocana2006trastuzumab' (no closing ']')"]),
    *[(f"title-{name}", (lambda r, t=t: agent(r, json.dumps(t))),
       [f"data/agents/zz-agent.yaml:1: name: {msg}"])
      for name, t, msg in [("empty", "", "empty: only spaces or invisible characters"),
                           ("spaces", "   ", "empty: only spaces or invisible characters"),
                           ("zero-width", "\u200b\u200d\ufeff", "empty: only spaces or invisible characters")]],
    ("link-outside", _outside,
     ["data/agents/outside.yaml:1: file: symbolic link to something outside the repository (not read)"]),
    ("bibtex-undefined-macro", lambda r: _bib_entry(r, "@article{zz2020,\n  title = {T},\n  journal = nosuchmacro\n}"),
     ["references.bib:53: zz2020.journal: undefined @string macro 'nosuchmacro' (write text in braces: {nosuchmacro})"]),
    ("bibtex-no-title", lambda r: _bib_entry(r, "@article{zz2020,\n  journal = {J},\n  number = {3}\n}"),
     ["references.bib:51: zz2020.title: missing title"]),
    ("bib-is-a-folder", _bib_dir, None),  # see the test
    # 6. messages
    ("unquoted-impossible-date", lambda r: append(r, TIMELINE, "- date: 1998-02-30\n  event: E\n"),
     ["data/timeline.yaml:8: [2].date: 1998-02-30 is not a date in the calendar"]),
    ("newline-in-file-name", _newline_name,
     ["data/agents/bad\\nname.yaml:1: id: 'bad\\nname': an id must be a lowercase slug [a-z0-9][a-z0-9-]*"]),
    ("bib-not-bibtex", _bib_not_bibtex, None),
]


@pytest.mark.parametrize("name, breaker, expected", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_broken_input_is_a_clear_error(project, name, breaker, expected):
    breaker(project)
    errors = errors_of(project)
    for e in errors:
        assert re.match(r"^[^\n]+:\d+: [^\n]+: [^\n]+$", e), e
    if name == "5mb-bibtex-note":
        size = (project / BIB).stat().st_size
        assert errors == [f"references.bib:1: file: too large: {size:,} bytes (at most 4,000,000)"]
    elif name == "bib-is-a-folder":
        assert errors == ["references.bib:1: file: is a folder, not a file"]
    elif name == "bib-not-bibtex":
        assert "references.bib:1: file: no BibTeX entry in this file (is it a BibTeX file?)" in errors
        assert not [e for e in errors if "unknown reference key" in e]
    else:
        assert errors == expected


# ---- cases that are valid and must render correctly and harmlessly -------------------------
def _pages(root: Path) -> dict[str, str]:
    with time_limit():
        eb = load(root)
        assert [f.format() for f in check(eb).errors] == []
        return build_pages(eb)


def test_pandoc_citation_forms_render_with_prefix_and_locator(project):
    summary(project, "A [see @slamon2001chemotherapy, p. 5]. B [-@scaltriti2007expression]. "
                     "C [see @slamon2001chemotherapy, p. 5; @scaltriti2007expression]. "
                     "Code `[@not_a_key]` and `a<b`.")
    page = _pages(project)["agents/zz-agent.md"]
    text = re.sub(r"<[^>]+>", "", page.split("## References")[0])
    assert "A see [1, p. 5]. B [2]. C see [1, p. 5; 2]." in text
    assert "Code [@not_a_key] and a&lt;b." in text
    assert "&amp;lt;" not in page
    assert page.count('<li id="ref-') == 2


def test_backslash_in_glossary_term_is_text_on_hand_written_pages(project):
    append(project, GLOSSARY, '- term: "ZZ\\\\ <script>alert(1)</script>"\n  expansion: "x\\\\ y"\n')
    eb = load(project)
    assert check(eb).errors == []
    html = render_hand_written_page(eb, "index.md", "# Home\n\nText ZZ\\\\ &lt;script&gt; and HER2.\n")
    assert_harmless(html, "index.md")
    assert "<script>" not in html


def test_string_concatenation_is_joined(project):
    append(project, BIB, '\n@string{CA = "Cancer"}\n@article{zz2020,\n  title = {T},\n  journal = CA # ": x",\n'
                         '  month = mar,\n  year = 2020\n}\n')
    write(project, "docs/overview/open-questions.md", "# Q\n\nCites [@zz2020].\n")
    eb = load(project)
    assert check(eb).errors == []
    assert eb.bib.get("zz2020").text["journal"] == "Cancer: x"
    w = PageWriter(eb, "overview/open-questions.md")
    w.cite(["zz2020"])
    assert "<em>Cancer: x</em>" in w.references_section()


def test_apostrophe_is_escaped_once_in_headings(project):
    write(project, "data/mechanisms/muc1.yaml", "title: Kaplan's MUC1 & \"co\"\ncategory: other\nsummary: s\n")
    page = _pages(project)["mechanisms/muc1.md"]
    assert "# Kaplan's MUC1 &amp; \"co\"" in page.splitlines()


def test_unquoted_valid_date_and_keys_as_written(project):
    append(project, TIMELINE, "- date: 2001-03-15\n  event: E\n")
    # An arm labelled "1" and a values key written 1 are the same text.
    replace_in(project, TRIAL, "  - label: Chemotherapy\n", '  - label: Chemotherapy\n  - label: "1"\n',
               '"Chemotherapy": 4.6', '"Chemotherapy": 4.6, 1: 5')
    with time_limit():
        eb = load(project)
        assert [f.format() for f in check(eb).errors] == []
    assert "2001-03-15" in [e.date for e in eb.timeline]
    assert eb.trials["NCT00000001"].outcomes[0].values["1"] == 5


def test_backticks_after_a_citation_on_a_docs_line_are_fast(project):
    write(project, "docs/overview/open-questions.md", "# Q\n\nSee [@ocana2006trastuzumab] " + "`" * 50_000 + "\n")
    assert errors_of(project) == []


def test_yes_no_on_off_are_text(project):
    agent(project, "yes", "aliases: [no, on, off, y, n]\n")
    eb = load(project)
    assert [f.format() for f in check(eb).errors] == []
    assert eb.agents["zz-agent"].name == "yes" and eb.agents["zz-agent"].aliases == ["no", "on", "off", "y", "n"]


def test_big_numbers_render(project):
    replace_in(project, TRIAL, "    measure: median", "    measure: median\n    hr: 9007199254740991")
    pages = _pages(project)
    assert "HR 9.0072e+15" in pages["trials/NCT00000001.md"]
    files = downloads(load(project))
    json.loads(files["downloads/atlas.json"])  # valid JSON (no NaN, no Infinity)
