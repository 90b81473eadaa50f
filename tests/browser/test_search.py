"""Search from file://: type a word that only a runbook's body holds, choose the hit with the
keyboard, and land on that runbook."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def test_search_a_body_word_and_open_the_hit(browser):
    driver = browser.driver
    browser.open("internal/scenarios/lon1-facility-loss.html")
    wait = WebDriverWait(driver, 10)
    box = wait.until(EC.visibility_of_element_located((By.ID, "search-input")))
    driver.find_element(By.TAG_NAME, "body").send_keys("/")
    assert driver.switch_to.active_element == box, "/ focuses the search box"

    box.send_keys("wavelen")  # a prefix of a word in the core network runbook's body
    results = wait.until(EC.visibility_of_all_elements_located((By.CSS_SELECTOR, "#search-results .search-result")))
    titles = [r.find_element(By.CSS_SELECTOR, ".search-title").text for r in results]
    assert "Core network and backbone" in titles, titles

    for _ in range(titles.index("Core network and backbone") + 1):
        box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ENTER)
    wait.until(EC.url_contains("/internal/runbooks/core-network.html"))
    assert driver.current_url.startswith("file://")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Core network and backbone"
    browser.collect_logs()
