"""Imports every feature's models so `Base.metadata` knows all tables (Alembic, tests)."""

from cvlens.features.auth import models as auth_models
from cvlens.platform.db import Base

__all__ = ["Base", "auth_models"]
