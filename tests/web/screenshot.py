"""Take docs/screenshot.png: the compare page of the bundled snapshot in headless Debian chromium.

    .venv/bin/python tests/web/screenshot.py [--db PATH] [--out docs/screenshot.png]

Not a test (it is not collected): run it after the snapshot or the pages change, and commit the image.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, wait_until_up  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/nonexistent/careerlens-snapshot.duckdb", help="default: the snapshot")
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    ap.add_argument("--url", default="/compare?a=machine_learning_engineer&b=ai_engineer")
    args = ap.parse_args()
    port = free_port()
    cmd = [sys.executable, "-m", "careerlens.cli.main", "serve", "--port", str(port), "--db", args.db]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860}, device_scale_factor=1)
            page.goto(base + args.url, timeout=120_000)
            page.wait_for_selector("#fig-compare-salary.js-plotly-plot", timeout=60_000)
            page.wait_for_timeout(500)
            page.screenshot(path=args.out)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
