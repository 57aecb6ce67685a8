"""axe-core (vendored) on the main page types, in the light and the dark scheme: zero violations, no rule disabled."""
from __future__ import annotations

import pytest

from .helpers import AXE_JS

PAGES = ["index.html", "trials.html", "patents.html", "mechanisms/index.html", "a mechanism page",
         "a trial page", "bibliography.html", "glossary.html", "timeline.html"]
SCHEMES = ["default", "slate"]  # Material's light and dark palettes


def _resolve(site_dir, which: str) -> str:
    folder = {"a mechanism page": "mechanisms", "a trial page": "trials"}.get(which)
    if folder is None:
        return which
    pages = sorted(p for p in (site_dir / folder).glob("*.html") if p.name != "index.html")
    assert pages, f"no page under {folder}/"
    return pages[0].relative_to(site_dir).as_posix()


def _format(violations: list[dict]) -> str:
    out = []
    for v in violations:
        out.append(f"- {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} node(s)] {v['helpUrl']}")
        for n in v["nodes"][:4]:
            summary = " / ".join(line.strip() for line in (n.get("failureSummary") or "").splitlines()[1:3])
            out.append(f"    {' '.join(map(str, n['target']))}: {n['html'][:120]}  -> {summary}")
    return "\n".join(out)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("which", PAGES)
def test_no_axe_violations(web, site_dir, which, scheme):
    assert AXE_JS.is_file(), f"{AXE_JS} missing"
    rel = _resolve(site_dir, which)
    page = web.open(rel)
    if scheme != "default":  # as a reader does: the palette toggle in the header
        page.locator("label.md-header__button[for^=__palette]:visible").first.click()
        page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{scheme}'")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
    web.rec.assert_clean()
    page.add_script_tag(path=str(AXE_JS))
    # Default run: every rule axe enables by default. (axe's own attempt to re-read the stylesheets
    # with XHR is refused from file:// and logs console errors; those are axe's, not the page's.)
    result = page.evaluate("async () => JSON.parse(JSON.stringify(await axe.run(document)))")
    violations = result["violations"]
    assert not violations, f"{rel} ({scheme}): {len(violations)} axe violation(s):\n{_format(violations)}"
    assert not web.rec.external, web.rec.external
