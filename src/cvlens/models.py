"""Imports every feature's models so `Base.metadata` knows all tables (Alembic, tests)."""

from cvlens.platform.db import Base

__all__ = ["Base"]
