"""Legacy integer ids ↔ CVLens UUIDs, and allocation of new legacy ids."""

from __future__ import annotations

import uuid
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

LegacyTable = Literal["users", "resumes", "optimizations"]

# Fixed namespace: changing it would re-key every migrated row.
LEGACY_NAMESPACE = uuid.UUID("6f1d3c52-5b7e-4f0a-9a1e-6c2b1f0d4e11")


def uuid_for(table: LegacyTable, legacy_id: int) -> uuid.UUID:
    """The CVLens UUID of legacy row `legacy_id` of `table` (UUIDv5, deterministic)."""
    return uuid.uuid5(LEGACY_NAMESPACE, f"{table}:{legacy_id}")


async def next_legacy_id(session: AsyncSession, column: InstrumentedAttribute[int | None]) -> int:
    """One more than the largest legacy id in use (the unique index catches a race)."""
    current = await session.scalar(select(func.max(column)))
    return int(current or 0) + 1
