"""Headless Chromium from the distribution's packages, driven through its own chromedriver.

Selenium rather than Playwright: Debian ships chromium and chromium-driver built from the same
source, so the driver always matches the browser, and Selenium's client is a plain Python
package; Playwright's client pins a browser build of its own and talks to others only on a
best-effort basis. A missing browser skips these tests locally and fails them in CI
(GAMEARENA_REQUIRE_SERVICES=1), as every other missing service does (tests/conftest.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.conftest import service_missing

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
INSTALL = "apt-get install chromium chromium-driver (.ci/run installs them)"


def chromium_or_missing() -> Chrome:
    """A headless Chromium, or skip (locally) / fail (CI) saying what to install."""
    for program in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(program) is None:
            service_missing(f"Chromium is not installed ({program} missing): {INSTALL}")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        service_missing("selenium is not installed: pip install -r .ci/requirements-dev.txt")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--disable-gpu"):  # fmt: skip
        options.add_argument(argument)
    # The console's messages, read after each page by console_errors().
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))


def console_errors(driver: Chrome) -> list[dict[str, Any]]:
    """The console's errors since the last call (reading the log empties it)."""
    entries: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    return [entry for entry in entries if entry["level"] == "SEVERE"]


def screenshot(driver: Chrome, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return path
