"""Screenshots of the shop for the README: home, a category, a product and the cart, at a
desktop width (1280 px) and a phone's (390 px); and the staff's dashboard, signed in as the
demo's member of staff.

Run it against a running shop with the demo data (`make run`), e.g.
    .venv/bin/python docs/screenshots.py http://127.0.0.1:8000
or let `make screenshots` start one. Uses Debian's chromium when there is one
(CHROMIUM_PATH chooses another), like the browser tests.
"""

import os
import re
import shutil
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "screenshots"
WIDTHS = [1280, 390]  # a desktop, a phone
PAGES = {
    "home": "/",
    "category": "/c/kitchen/",
    "product": "/products/cast-iron-skillet/",
    "cart": "/cart/",
}
# The demo's member of staff (dashboard/demo.py), whose first page in the admin is the dashboard.
STAFF = ("owner", "demo-owner-2026")


def wait_for(base_url: str, seconds: float = 30) -> None:
    """Until the shop answers (`make screenshots` starts it just before)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base_url + "/healthz", timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def main(base_url: str) -> None:
    wait_for(base_url)
    OUT.mkdir(exist_ok=True)
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--disable-background-networking"]
        )
        for width in WIDTHS:
            context = browser.new_context(
                viewport={"width": width, "height": 900 if width > 600 else 844},
                device_scale_factor=1,
                is_mobile=width < 600,
                has_touch=width < 600,
            )
            page = context.new_page()
            # Something in the cart, as a shopper would put it there.
            page.goto(base_url + PAGES["product"])
            page.get_by_role("button", name=re.compile("Cast Iron Skillet")).click()
            page.get_by_text("Added to cart").wait_for()
            page.goto(base_url + "/products/enamel-camp-mug/")
            page.get_by_role("button", name=re.compile("Enamel Camp Mug")).click()
            page.get_by_text("Added to cart").wait_for()
            for name, path in PAGES.items():
                page.goto(base_url + path)
                page.wait_for_load_state("networkidle")
                # What a shopper first sees of a listing; the whole of a product or cart.
                full_page = name in ("product", "cart")
                page.screenshot(path=OUT / f"{name}-{width}.png", full_page=full_page)
                print(f"docs/screenshots/{name}-{width}.png")
            page.goto(base_url + "/admin/login/?next=/admin/")
            page.get_by_label("Username").fill(STAFF[0])
            page.get_by_label("Password").fill(STAFF[1])
            page.get_by_role("button", name="Log in").click()
            page.get_by_role("heading", name="Shop management").wait_for()
            page.screenshot(path=OUT / f"dashboard-{width}.png", full_page=True)
            print(f"docs/screenshots/dashboard-{width}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")
