"""Auth tests run on the shared fixtures with cheap argon2 parameters (production stays strong)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvlens.settings import Settings
from tests.conftest import Database, make_settings


@pytest.fixture
def settings(database: Database, tmp_path: Path) -> Settings:
    return make_settings(database, tmp_path, password_hash_cost="low")
