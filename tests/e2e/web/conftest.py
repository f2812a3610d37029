"""A real app on a loopback port and Debian's Chromium driven by Playwright (one per module).

Chromium missing: skip with a message, except under CI=true where the tests must fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.conftest import Database, make_settings
from tests.live_server import live_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PASSWORD = "correct horse battery staple 42"


@pytest.fixture(scope="module")
def base_url(sqlite_database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from cvlens.app import create_app

    # each test signs up from 127.0.0.1: more than the default 10 registrations an hour
    settings = make_settings(
        sqlite_database, tmp_path_factory.mktemp("web"), rate_limit_register="1000/hour"
    )
    with live_server(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing: run `make browser` (installs Debian's chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    ctx = browser.new_context(
        base_url=base_url, accept_downloads=True, viewport={"width": 1200, "height": 900}
    )
    ctx.set_default_timeout(30_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def unique_email() -> str:
    return f"web-{uuid.uuid4().hex[:12]}@example.com"


def sign_up(page: Page, email: str | None = None) -> str:
    """Create an account through the page; return the email now signed in."""
    email = email or unique_email()
    page.goto("/")
    page.get_by_role("tab", name="Create account").click()
    page.get_by_label("Name").fill("Web Tester")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.locator("#workspace").wait_for(state="visible")
    return email


def upload(page: Page, file: Path | dict[str, object], job_description: str = "") -> None:
    page.locator("#file-input").set_input_files(file)  # type: ignore[arg-type]
    if job_description:
        page.get_by_label("Job description").first.fill(job_description)
    page.get_by_role("button", name="Upload and analyse").click()
