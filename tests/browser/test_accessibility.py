"""axe-core finds no serious or critical accessibility problems on the main pages, with every rule
in the light colour scheme and the colour rules again in the dark one."""

import pytest
from selenium_axe_python import Axe

PAGES = [
    "internal/index.html",
    "internal/scenarios/lon1-facility-loss.html",
    "internal/runbooks/core-network.html",
    "internal/matrix.html",
    "internal/handbook.html",
    "internal/call-tree.html",
    "public/index.html",
]
BLOCKING = {"serious", "critical"}
# preload: false keeps axe from fetching the stylesheets again with XHR, which file:// refuses
# (and which the offline test would then see as failed requests). It reads them from the page.
EVERY_RULE = {"preload": False}
# The dark scheme changes colours only, so it is checked with the rules about colour.
COLOUR_RULES = {"preload": False, "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}
# The handbook repeats the same parts for each of its runbooks; in the dark pass its cover,
# contacts, call tree and first runbook stand for the rest (the light pass checks all of it).
DARK_CONTEXT = {
    "internal/handbook.html": {"include": [[".handbook-cover"], [".handbook-part"], [".handbook-runbook:first-of-type"]]},
}
# Tables scroll inside .table-wrap, whose edge shadows are background gradients. axe cannot see
# through a gradient and would leave the contrast of every table cell unchecked ("incomplete"),
# so the tests paint the wrapper's solid surface colour (what the cells sit on) before checking.
SOLID_TABLE_BACKGROUND = """
const style = document.createElement("style");
style.textContent = ".table-wrap { background: var(--surface) !important; }";
document.head.appendChild(style);
"""
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(arguments[0], arguments[1]).then(done, error => done({error: String(error)}));
"""


def describe(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = node.get("failureSummary", "").strip().splitlines()
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[-1].strip() if summary else ''}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page", PAGES)
def test_no_serious_accessibility_violations(browser, page, scheme):
    driver = browser.driver
    driver.set_script_timeout(60)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    try:
        browser.open(page)
        assert driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        driver.execute_script(SOLID_TABLE_BACKGROUND)
        Axe(driver).inject()
        if scheme == "light":
            results = driver.execute_async_script(RUN_AXE, {"exclude": []}, EVERY_RULE)
        else:
            results = driver.execute_async_script(RUN_AXE, DARK_CONTEXT.get(page, {"exclude": []}), COLOUR_RULES)
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert "error" not in results, results.get("error")
    assert results["passes"], "axe ran its rules"
    blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING]
    assert blocking == [], f"{page} ({scheme}):\n{describe(blocking)}"
    browser.collect_logs()
