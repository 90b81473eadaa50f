"""At 375 px the pages never scroll sideways: wide tables and diagrams scroll inside their own boxes."""

import pytest

from chromium import PHONE

PAGES = [
    "internal/index.html",
    "internal/scenarios/lon1-facility-loss.html",
    "internal/runbooks/core-network.html",
    "internal/matrix.html",
    "internal/call-tree.html",
    "internal/handbook.html",
    "internal/people.html",
    "internal/roles.html",
    "internal/sites.html",
    "internal/vendors.html",
    "public/index.html",
]

# Elements that stick out past the right edge of the screen without a scrolling box around them,
# where a reader could not reach them (the document itself is checked separately).
STRAYS = """
const limit = window.innerWidth + 1;
function scrolls(element) {
  for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
    const overflow = getComputedStyle(node).overflowX;
    if (overflow === "auto" || overflow === "scroll") { return true; }
  }
  return false;
}
return Array.from(document.body.querySelectorAll("*"))
  .filter(element => element.getClientRects().length > 0)
  .filter(element => element.getBoundingClientRect().right > limit && !scrolls(element))
  .map(element => element.tagName.toLowerCase() + (element.className && typeof element.className === "string" ? "." + element.className.trim().split(/\\s+/).join(".") : "")
       + " right=" + Math.round(element.getBoundingClientRect().right));
"""


@pytest.mark.parametrize("page", PAGES)
def test_no_sideways_scrolling_at_375px(phone, page):
    driver = phone.driver
    phone.open(page)
    width, scroll_width, html_overflow, body_overflow = driver.execute_script(
        "const root = document.documentElement;"
        "return [window.innerWidth, root.scrollWidth, getComputedStyle(root).overflowX, getComputedStyle(document.body).overflowX];"
    )
    assert width == PHONE[0]
    assert scroll_width <= PHONE[0] + 1, f"{page} is {scroll_width} px wide at {width} px"
    assert (html_overflow, body_overflow) == ("visible", "visible"), "overflow is not hidden away"
    assert driver.execute_script(STRAYS) == []
    phone.collect_logs()


def test_wide_content_scrolls_in_its_own_box(phone):
    """The dependency diagram and the matrix are wider than a phone and scroll inside their containers."""
    driver = phone.driver
    for page, box in (("internal/runbooks/core-network.html", ".diagram-scroll"), ("internal/matrix.html", ".table-wrap")):
        phone.open(page)
        scroll_width, client_width, overflow = driver.execute_script(
            "const box = document.querySelector(arguments[0]);"
            "return [box.scrollWidth, box.clientWidth, getComputedStyle(box).overflowX];", box)
        assert overflow in ("auto", "scroll"), f"{box} on {page}"
        assert scroll_width > client_width, f"{box} on {page} is expected to be wider than the phone"
