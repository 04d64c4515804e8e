"""The browser harness: a missing chromium skips the browser tests loudly, and fails them under CI=true."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ONE_BROWSER_TEST = "tests/web/test_pages_browser.py::test_roles_page_shows_a_card_per_role"


def run_without_chromium(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS")}
    env["CAREERLENS_TEST_CHROMIUM"] = "/nonexistent/chromium"
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            ONE_BROWSER_TEST,
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("ci", [None, "false"])
def test_missing_chromium_skips_loudly(ci: str | None) -> None:
    proc = run_without_chromium(ci)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert "1 skipped" in proc.stdout
    assert "SKIPPING BROWSER TESTS" in proc.stdout


def test_missing_chromium_fails_under_ci() -> None:
    proc = run_without_chromium("true")
    assert proc.returncode != 0
    assert "CI=true requires them" in proc.stdout
