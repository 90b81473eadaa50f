"""Builds the example plan and saves screenshots of its main pages in docs/screenshots/.

Run through scripts/screenshots.sh (or `make screenshots`), which installs Chromium, poppler and
optipng first. Every file has a stable name: {desktop,phone}-{page}.png, desktop-home-dark.png and
handbook-print.png (the handbook printed to A4 by Chromium: its first page and the first page of
its first runbook, side by side). Pages taller than the cap are cut at the cap.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))

from chromium import DESKTOP, PHONE, REPO, build_example_site, chrome  # noqa: E402

OUT = REPO / "docs" / "screenshots"
PAGES = {
    "home": "internal/index.html",
    "scenario": "internal/scenarios/lon1-facility-loss.html",
    "runbook": "internal/runbooks/core-network.html",
    "matrix": "internal/matrix.html",
    "public": "public/index.html",
}
CAP = {"desktop": 2000, "phone": 2600}
A4_INCHES = (8.27, 11.69)


def shoot(driver, url: str, path: Path, width: int, cap: int, *, mobile: bool, media: str = "",
          scheme: str = "light") -> None:
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "media": media, "features": [{"name": "prefers-color-scheme", "value": scheme}],
    })
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile,
    })
    driver.get(url)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": min(height, cap), "deviceScaleFactor": 1, "mobile": mobile,
    })
    driver.execute_script("window.scrollTo(0, 0)")
    path.write_bytes(driver.get_screenshot_as_png())
    print(f"{path.relative_to(REPO)}  {width}x{min(height, cap)} (page {height} high)")


def pdf_page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def shoot_print(driver, url: str, path: Path, work: Path) -> None:
    """Prints the handbook to A4 as Chromium would and shows two pages of it on a desk."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
    driver.get(url)
    first_runbook = driver.execute_script("return document.querySelector('.handbook-runbook h3').textContent.trim()")
    printed = driver.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": A4_INCHES[0], "paperHeight": A4_INCHES[1], "preferCSSPageSize": True, "printBackground": True,
    })
    pdf = work / "handbook.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    count = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines() if line.startswith("Pages:")))
    runbook_page = next(page for page in range(2, count + 1) if pdf_page_text(pdf, page).strip().startswith(first_runbook))
    images = []
    for page in (1, runbook_page):
        stem = work / f"page-{page}"
        subprocess.run(["pdftoppm", "-r", "96", "-f", str(page), "-l", str(page), "-singlefile", "-png", str(pdf), str(stem)],
                       check=True)
        images.append(stem.with_suffix(".png"))
    desk = work / "desk.html"
    desk.write_text(
        "<!DOCTYPE html><html><head><style>"
        "body { margin: 0; padding: 24px; background: #5b6470; display: flex; gap: 24px; width: max-content; }"
        "img { display: block; box-shadow: 0 2px 10px rgb(0 0 0 / .45); }"
        "</style></head><body>" + "".join(f'<img src="{image.name}" alt="">' for image in images) + "</body></html>")
    driver.get(desk.as_uri())
    width, height = driver.execute_script(
        "return [document.body.scrollWidth, Math.ceil(document.body.getBoundingClientRect().height)]")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False,
    })
    path.write_bytes(driver.get_screenshot_as_png())
    print(f"{path.relative_to(REPO)}  {width}x{height} (pages 1 and {runbook_page} of {count})")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="continuity-screenshots-") as folder:
        site = build_example_site(Path(folder) / "site")
        desktop = chrome(DESKTOP)
        phone = chrome(PHONE, phone=True)
        try:
            for name, page in PAGES.items():
                url = (site / page).as_uri()
                shoot(desktop, url, OUT / f"desktop-{name}.png", DESKTOP[0], CAP["desktop"], mobile=False)
                shoot(phone, url, OUT / f"phone-{name}.png", PHONE[0], CAP["phone"], mobile=True)
            shoot(desktop, (site / PAGES["home"]).as_uri(), OUT / "desktop-home-dark.png", DESKTOP[0],
                  CAP["desktop"], mobile=False, scheme="dark")
            shoot_print(desktop, (site / "internal/handbook.html").as_uri(), OUT / "handbook-print.png", Path(folder))
        finally:
            desktop.quit()
            phone.quit()
    optipng = shutil.which("optipng")
    if optipng:
        subprocess.run([optipng, "-quiet", "-o2", "-strip", "all", *map(str, sorted(OUT.glob("*.png")))], check=True)
    for path in sorted(OUT.glob("*.png")):
        print(f"{path.name}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
