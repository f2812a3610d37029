"""`cvlens user create EMAIL [--admin] [--password …]` on a real (SQLite) database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from cvlens.app import create_app
from cvlens.cli import app as cli
from cvlens.platform import migrations
from tests.conftest import Database, make_settings
from tests.integration.auth.helpers import bearer, login

PASSWORD = "a long admin passphrase"


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    migrations.upgrade(url)
    return {
        "CVLENS_DATABASE_URL": url,
        "CVLENS_DATA_DIR": str(tmp_path / "var"),
        "CVLENS_PASSWORD_HASH_COST": "low",
    }


async def test_create_admin_then_log_in(cli_env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["user", "create", "Boss@Example.com", "--admin", "--password", PASSWORD]
    # The command runs its own event loop, so it cannot run on the test's.
    result = await asyncio.to_thread(runner.invoke, cli, args, env=cli_env)
    assert result.exit_code == 0, result.output
    assert "created admin boss@example.com" in result.output

    settings = make_settings(
        Database(cli_env["CVLENS_DATABASE_URL"]), tmp_path, password_hash_cost="low"
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            pair = await login(client, "boss@example.com", PASSWORD)
            users = await client.get("/api/v1/admin/users", headers=bearer(pair["access_token"]))
    assert users.status_code == 200, users.text
    assert users.json()["items"][0]["role"] == "admin"


def test_password_is_prompted_when_omitted(cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        cli, ["user", "create", "u@example.com"], env=cli_env, input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "created user u@example.com" in result.output
    assert PASSWORD not in result.output


def test_duplicate_and_weak_passwords_fail_with_a_message(cli_env: dict[str, str]) -> None:
    runner = CliRunner()
    args = ["user", "create", "dup@example.com", "--password"]
    assert runner.invoke(cli, [*args, PASSWORD], env=cli_env).exit_code == 0
    duplicate = runner.invoke(cli, [*args, PASSWORD], env=cli_env)
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.output
    weak = runner.invoke(
        cli, ["user", "create", "w@example.com", "--password", "short"], env=cli_env
    )
    assert weak.exit_code == 1
    assert "password must be at least 10 characters" in weak.output
    bad_email = runner.invoke(cli, [*args[:2], "not-an-email", "--password", PASSWORD], env=cli_env)
    assert bad_email.exit_code == 1
    assert "email" in bad_email.output
