"""Shared test helpers.

Tests that need an outside tool (Chromium, Java) skip on a developer's machine
that lacks it, but CI sets DIGEST_REQUIRE_ALL_TESTS=1 and then a missing tool is
a failure: a skipped test proves nothing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# CI draws the same property-test examples on every run, so a red build is one anyone can reproduce;
# runs elsewhere keep drawing new ones, which is how such tests find what nobody thought of.
settings.register_profile("ci", derandomize=True)
if os.environ.get("DIGEST_REQUIRE_ALL_TESTS") == "1":
    settings.load_profile("ci")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SEEDS = PROJECT_ROOT / "seeds"
CHROMIUM = "/usr/bin/chromium"


def require_tool(name: str, path: str | None = None) -> str:
    """Return the tool's path, or skip (locally) / fail (CI) when it is missing."""
    found = path if path and os.path.exists(path) else shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed"
    if os.environ.get("DIGEST_REQUIRE_ALL_TESTS") == "1":
        pytest.fail(message + " (DIGEST_REQUIRE_ALL_TESTS=1: CI must install it)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return require_tool("chromium", CHROMIUM)


@pytest.fixture
def java_path() -> str:
    return require_tool("java")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project folder with the sample seeds copied in (seeds/ and content/: a project)."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "content").mkdir()
    for seed in sorted(SAMPLE_SEEDS.glob("*.txt")):
        shutil.copy(seed, tmp_path / "seeds" / seed.name)
    return tmp_path


@pytest.fixture(scope="module")
def chromium(chromium_path: str):
    """Headless Chromium through Playwright (skips locally without Playwright, fails in CI).

    One launch per test module: a test opens its pages with `new_page()`, each in a browser context
    of its own (no cookies, storage or cache shared), so launching again per test bought only seconds.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("DIGEST_REQUIRE_ALL_TESTS") == "1":
            pytest.fail("playwright is not installed (DIGEST_REQUIRE_ALL_TESTS=1)")
        pytest.skip("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        try:
            yield browser
        finally:
            browser.close()


# The suite runs in parallel, a file per worker at a time, files in this order (pyproject's addopts), so it
# ends when its longest file ends: these start first, and the many short files fill the other worker meanwhile.
# Each is minutes of `digest build` on two cores; the rest of the suite keeps its order.
LONGEST_FIRST = ("test_interrupted.py", "test_many_seeds.py", "test_hostile.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: within a file, and among the other files, collection order is kept
