"""Headless Chromium for the browser tests and the screenshot script.

Drivers use Debian's chromium and chromedriver, never anything Selenium Manager would fetch,
and log every network event and console message so tests can read what a page loaded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

# Selenium Manager must not reach for the network to find a driver: Debian's is used.
os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
# The day the example plan is built for, so freshness findings and pages never change with the clock.
TODAY = "2026-11-22"
TODAY_EPOCH = "1795305600"  # 2026-11-22T00:00:00Z, printed as the build date

DESKTOP = (1280, 900)
PHONE = (375, 812)


def find_executable(env: str, *candidates: str) -> str:
    """The program named by the environment variable `env`, else the first candidate on PATH."""
    if os.environ.get(env):
        return os.environ[env]
    for name in candidates:
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(f"none of {', '.join(candidates)} is installed (or set {env}); run scripts/browser-tests.sh")


def continuity_binary() -> Path:
    """The continuity binary under test: $CONTINUITY_BIN, relative to the repository, default the debug build."""
    path = Path(os.environ.get("CONTINUITY_BIN", ".build/debug/continuity"))
    if not path.is_absolute():
        path = REPO / path
    if not path.is_file():
        raise RuntimeError(f"{path} does not exist: build it with `swift build` or set CONTINUITY_BIN")
    return path


def build_example_site(output: Path) -> Path:
    """Builds the example plan in content/ into `output` and returns it."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=TODAY_EPOCH)
    result = subprocess.run(
        [str(continuity_binary()), "build", "--content", str(CONTENT), "--output", str(output), "--today", TODAY, "--quiet"],
        env=env, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"continuity build failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return output


@dataclass
class Browser:
    """A Chromium session that keeps every network request and console message it has seen."""

    driver: webdriver.Chrome
    site: Path
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    console: list[dict] = field(default_factory=list)

    def url(self, relative: str) -> str:
        return (self.site / relative).as_uri()

    def open(self, relative: str) -> None:
        self.driver.get(self.url(relative))

    def collect_logs(self) -> None:
        """Moves the driver's performance and console logs (which it hands out once) into this session."""
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])
            elif message["method"] == "Network.loadingFailed":
                params = message["params"]
                self.failures.append(f"{params.get('errorText')} ({params.get('type')})")
        self.console.extend(self.driver.get_log("browser"))

    def quit(self) -> None:
        self.driver.quit()


def chrome(size: tuple[int, int], *, javascript: bool = True, phone: bool = False) -> webdriver.Chrome:
    """A headless Chromium window of `size` CSS pixels, logging network and console."""
    options = webdriver.ChromeOptions()
    options.binary_location = find_executable("CHROMIUM", "chromium", "chromium-browser", "google-chrome")
    width, height = size
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--lang=en-GB",
        "--force-color-profile=srgb",
        f"--window-size={max(width, 500)},{height}",
    ):
        options.add_argument(argument)
    if not javascript:
        options.add_argument("--blink-settings=scriptEnabled=false")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    service = Service(find_executable("CHROMEDRIVER", "chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    if phone or width < 500:
        # A desktop window cannot be narrower than 500 px; a phone is emulated instead.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": True,
        })
        driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    else:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False,
        })
    return driver
