"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live server.

Run with `pytest -m browser tests/browser`. Each test gets a fresh page; `axe(page, name)` saves a screenshot
under `test-artefacts/` and fails on any serious or critical accessibility violation. Without
/usr/bin/chromium the tests are skipped, unless CI=true, when they fail: a CI run must not pass by skipping.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts"
BLOCKING_IMPACTS = {"serious", "critical"}


def _known_govuk_frontend_pattern(violation: dict, node: dict) -> bool:
    """GOV.UK Frontend's conditionally revealing radios and checkboxes set aria-expanded on the input, which
    axe reports as aria-allowed-attr. The Design System keeps it deliberately (it is tested with assistive
    technology); only that exact attribute on those inputs is excused, nothing else."""
    html = node.get("html", "")
    return (
        violation["id"] == "aria-allowed-attr"
        and "aria-expanded" in html
        and ("govuk-radios__input" in html or "govuk-checkboxes__input" in html)
    )


def blocking_violations(response: dict) -> list[dict]:
    blocking = []
    for violation in response["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        nodes = [n for n in violation["nodes"] if not _known_govuk_frontend_pattern(violation, n)]
        if nodes:
            blocking.append({**violation, "nodes": nodes})
    return blocking


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module. Playwright's sync API runs an event loop in the test thread while the
    test code still uses the database synchronously, which Django refuses inside a running loop unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set: it is set only while the browser runs, never for other tests (a
    subprocess running `check --deploy` would inherit it and fail)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed"
        if _in_ci():
            pytest.fail(f"{message}: browser tests must run in CI", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTEFACTS.mkdir(exist_ok=True)
    path = ARTEFACTS / (re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def _axe_engine():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def axe(_axe_engine, request):
    """axe(page, name): screenshot the page, run axe-core on it and fail on serious or critical violations."""
    counter = {"n": 0}

    def check(page, name: str) -> None:
        counter["n"] += 1
        screenshot(page, f"{request.node.name}-{counter['n']:02d}-{name}")
        results = _axe_engine.run(page)
        violations = blocking_violations(results.response)
        details = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations
        )
        assert not violations, f"Accessibility violations on {name} ({page.url}):\n{details}"

    return check


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (proves it is reachable by keyboard)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Could not reach {selector} with the Tab key on {page.url}")
