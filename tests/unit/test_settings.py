from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from cvlens.cli import app
from cvlens.settings import Settings


def test_embedded_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.env == "dev"
    assert settings.database_url == "sqlite+aiosqlite:///./var/cvlens.db"
    assert settings.storage_url == "file://./var/blobs"
    assert settings.broker_url is None


def test_default_secret_refused_outside_dev(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CVLENS_ENV", "prod")
    with pytest.raises(ValidationError, match="CVLENS_SECRET_KEY"):
        Settings()
    monkeypatch.setenv("CVLENS_SECRET_KEY", "a-real-secret-from-the-vault")
    assert Settings().env == "prod"


def test_env_prefix_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "CVLENS_DATABASE_URL=postgresql+asyncpg://app:pw@db:5432/cvlens\n"
    )
    monkeypatch.setenv("CVLENS_MAX_UPLOAD_BYTES", "1234")
    settings = Settings()
    assert settings.database_url.startswith("postgresql+asyncpg://")
    assert settings.max_upload_bytes == 1234


def test_config_command_masks_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CVLENS_SECRET_KEY", "top-secret-value")
    monkeypatch.setenv("CVLENS_DATABASE_URL", "postgresql+asyncpg://app:dbpass@db/cvlens")
    monkeypatch.setenv("CVLENS_BROKER_URL", "amqp://guest:brokerpass@mq:5672/")
    result = CliRunner().invoke(app, ["config"])
    assert result.exit_code == 0, result.output
    assert "top-secret-value" not in result.output
    assert "dbpass" not in result.output
    assert "brokerpass" not in result.output
    shown = json.loads(result.output)
    assert shown["secret_key"] == "****"
    assert shown["database_url"] == "postgresql+asyncpg://app:***@db/cvlens"


def test_config_command_reports_refusal_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CVLENS_ENV", "prod")
    monkeypatch.delenv("CVLENS_SECRET_KEY", raising=False)
    result = CliRunner().invoke(app, ["config"])
    assert result.exit_code == 2
    assert "CVLENS_SECRET_KEY" in result.output
    assert "Traceback" not in result.output


def test_version_command() -> None:
    result = CliRunner().invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.output.strip() == "0.1.0"
