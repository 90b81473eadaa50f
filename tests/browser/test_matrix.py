"""The RTO matrix: sorting and filtering with script, a complete table without."""

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

RTO_COLUMN = 3  # 1-based: Runbook, Tier, RTO


def runbook_count(site) -> int:
    return len(list((site / "internal" / "runbooks").glob("*.html")))


def visible_rows(driver):
    return [row for row in driver.find_elements(By.CSS_SELECTOR, "#matrix tbody tr") if row.is_displayed()]


def rto_values(driver) -> list[int]:
    cells = driver.find_elements(By.CSS_SELECTOR, f"#matrix tbody tr td:nth-child({RTO_COLUMN})")
    return [int(cell.get_attribute("data-value")) for cell in cells]


def test_matrix_sorts_and_filters_with_script(browser, site):
    driver = browser.driver
    browser.open("internal/matrix.html")
    total = runbook_count(site)
    assert len(visible_rows(driver)) == total
    assert driver.find_element(By.CSS_SELECTOR, "form.matrix-filter").is_displayed(), "the script shows the filter form"
    assert driver.find_element(By.ID, "matrix-count").text == f"{total} of {total} runbooks"

    header = driver.find_element(By.XPATH, "//table[@id='matrix']/thead//th[normalize-space()='RTO']")
    header.find_element(By.CSS_SELECTOR, "button.sort").click()
    assert header.get_attribute("aria-sort") == "ascending"
    values = rto_values(driver)
    assert len(values) == total
    assert values == sorted(values)
    assert values[0] < values[-1], "the example plan has more than one RTO"

    header.find_element(By.CSS_SELECTOR, "button.sort").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert rto_values(driver) == sorted(values, reverse=True)

    # Filter by a word from one runbook's title: only rows mentioning it stay.
    word = "dns"
    field = driver.find_element(By.ID, "matrix-text")
    field.send_keys(word.upper())
    shown = visible_rows(driver)
    assert 0 < len(shown) < total
    assert all(word in row.text.lower() for row in shown)
    hidden = [row for row in driver.find_elements(By.CSS_SELECTOR, "#matrix tbody tr") if not row.is_displayed()]
    assert all(word not in row.get_attribute("textContent").lower() for row in hidden)
    assert driver.find_element(By.ID, "matrix-count").text == f"{len(shown)} of {total} runbooks"
    field.clear()
    field.send_keys(" ")  # clear() fires no input event; typing does
    assert len(visible_rows(driver)) == total

    # Tier 0 only.
    tier_zero = len(re.findall(r'<tr data-tier="0"', (site / "internal" / "matrix.html").read_text()))
    assert 0 < tier_zero < total
    Select(driver.find_element(By.ID, "matrix-tier")).select_by_value("0")
    shown = visible_rows(driver)
    assert len(shown) == tier_zero
    assert {row.get_attribute("data-tier") for row in shown} == {"0"}
    assert all(cell.text == "0" for cell in driver.find_elements(By.CSS_SELECTOR, "#matrix tbody tr:not([hidden]) td:nth-child(2)"))
    Select(driver.find_element(By.ID, "matrix-tier")).select_by_value("")
    assert len(visible_rows(driver)) == total
    browser.collect_logs()


def test_matrix_is_complete_without_script(no_script, site):
    driver = no_script.driver
    no_script.open("internal/matrix.html")
    assert driver.execute_script("return document.querySelector('th .sort')") is None, "the script did not run"
    assert not driver.find_element(By.CSS_SELECTOR, "form.matrix-filter").is_displayed(), "no dead filter form"
    rows = visible_rows(driver)
    linked = {row.find_element(By.CSS_SELECTOR, "td:first-child a").get_attribute("href").rsplit("/", 1)[-1] for row in rows}
    expected = {path.name for path in (site / "internal" / "runbooks").glob("*.html")}
    assert len(rows) == len(expected)
    assert linked == expected
    assert all(cell.get_attribute("data-value").isdigit() for cell in driver.find_elements(By.CSS_SELECTOR, f"#matrix tbody td:nth-child({RTO_COLUMN})"))
