"""The internal site works from a USB stick with the network down: it loads nothing from outside
file://, and nothing it loads is missing or throws."""

from urllib.parse import urlparse

from conftest import all_pages

ALLOWED_SCHEMES = {"file", "data"}


def test_every_request_is_local_and_the_console_is_clean(browser, site):
    # Everything earlier tests did in this session counts too; then every page is opened once.
    for page in all_pages(site):
        browser.open(page)
        browser.collect_logs()

    assert any(url.endswith("/internal/assets/style.css") for url in browser.requests), "the log records the stylesheet"
    assert any(url.endswith("/internal/assets/matrix.js") for url in browser.requests), "the log records the matrix script"
    outside = sorted({url for url in browser.requests if urlparse(url).scheme not in ALLOWED_SCHEMES})
    assert outside == [], f"requests that leave file://: {outside}"
    assert browser.failures == [], f"requests that failed: {browser.failures}"
    severe = [f"{entry['source'] if 'source' in entry else ''} {entry['message']}" for entry in browser.console if entry["level"] == "SEVERE"]
    assert severe == [], "console errors:\n" + "\n".join(severe)
