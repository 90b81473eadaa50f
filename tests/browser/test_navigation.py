"""A person's path through the internal site: home → scenario → runbook → home."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def test_home_to_scenario_to_runbook_and_back(browser):
    driver = browser.driver
    browser.open("internal/index.html")
    wait = WebDriverWait(driver, 10)
    assert driver.find_element(By.TAG_NAME, "h1").text.endswith("continuity plan")

    card = driver.find_element(By.CSS_SELECTOR, ".scenario-grid .scenario-card")
    scenario_title = card.find_element(By.CSS_SELECTOR, ".scenario-title").text
    card.click()
    wait.until(EC.url_contains("/internal/scenarios/"))
    assert driver.current_url.startswith("file://")
    assert driver.find_element(By.TAG_NAME, "h1").text == scenario_title

    step = driver.find_element(By.CSS_SELECTOR, "ol.activation .step-title a")
    runbook_title = step.text
    step.click()
    wait.until(EC.url_contains("/internal/runbooks/"))
    assert driver.find_element(By.TAG_NAME, "h1").text == runbook_title
    objectives = driver.find_element(By.CSS_SELECTOR, "dl.objectives").text
    assert "RTO" in objectives
    phones = driver.find_elements(By.CSS_SELECTOR, 'a[href^="tel:"]')
    assert phones, "a runbook names whom to call with a tel: link"
    assert all(link.is_displayed() for link in phones[:3])

    driver.find_element(By.CSS_SELECTOR, 'nav[aria-label="Plan sections"]').find_element(By.LINK_TEXT, "Home").click()
    wait.until(EC.url_matches(r"/internal/index\.html$"))
    assert driver.find_element(By.CSS_SELECTOR, 'nav a[aria-current="page"]').text == "Home"
    browser.collect_logs()
