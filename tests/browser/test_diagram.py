"""Dependency pictures: every node's label stays inside its box, and every node links to its runbook."""

from conftest import internal_pages

LABELS = """
return Array.from(document.querySelectorAll(".diagram .node")).map(node => {
  const box = node.querySelector("rect").getBBox();
  return Array.from(node.querySelectorAll("text")).map(text => {
    const bounds = text.getBBox();
    return {label: text.textContent, left: bounds.x - box.x, right: box.x + box.width - (bounds.x + bounds.width),
            href: node.closest("a").getAttribute("href")};
  });
}).flat();
"""


def test_diagram_labels_fit_their_boxes(browser, site):
    pages = [page for page in internal_pages(site) if page.startswith(("internal/runbooks/", "internal/scenarios/"))]
    checked = 0
    for page in pages:
        browser.open(page)
        for label in browser.driver.execute_script(LABELS):
            checked += 1
            assert label["left"] >= 4 and label["right"] >= 4, f"{page}: '{label['label']}' runs out of its box"
            assert label["href"] and label["href"].endswith(".html"), f"{page}: '{label['label']}' links nowhere"
        browser.collect_logs()
    assert checked > 50, "the example plan draws dependency pictures"
