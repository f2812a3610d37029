"""Per-user isolation inside the SQL: every user-owned query carries `WHERE owner_id = :uid`.

Models owned by a user mix in `OwnedMixin`; features then read and write them only through
these helpers, never fetch-then-check:

    stmt = owned(select(Resume).order_by(Resume.created_at), Resume, user)
    resume = await get_owned_or_404(session, Resume, resume_id, user, "résumé")
    await delete_owned_or_404(session, Resume, resume_id, user, "résumé")

Another user's row is indistinguishable from a missing one: both are a 404.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol, TypeVar

from sqlalchemy import ForeignKey, Select, Update, Uuid, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from cvlens.platform.errors import NotFoundError


class OwnedMixin:
    """A row that belongs to one user (deleted with the user)."""

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )


class Owner(Protocol):
    @property
    def id(self) -> uuid.UUID: ...


M = TypeVar("M", bound=OwnedMixin)
S = TypeVar("S", bound=Select[*tuple[Any, ...]])


def owned(stmt: S, model: type[OwnedMixin], owner: Owner) -> S:
    """Restrict a SELECT to the rows of `model` that `owner` owns."""
    restricted: S = stmt.where(model.owner_id == owner.id)
    return restricted


def owned_update(model: type[OwnedMixin], owner: Owner) -> Update:
    """`UPDATE model … WHERE owner_id = :uid`; add `.where(…)` and `.values(…)`."""
    return update(model).where(model.owner_id == owner.id)


_BY_ID_AND_OWNER: dict[type[OwnedMixin], Select[Any]] = {}


async def get_owned_or_404(
    session: AsyncSession, model: type[M], row_id: uuid.UUID, owner: Owner, what: str
) -> M:
    """The row with this id *and* this owner, else a 404 naming `what`."""
    stmt = _BY_ID_AND_OWNER.get(model)
    if stmt is None:  # built once per model: construction costs more than the query
        id_column = getattr(model, "id")  # noqa: B009 - the mixin does not declare `id`
        stmt = select(model).where(
            id_column == bindparam("row_id", type_=Uuid()),
            model.owner_id == bindparam("owner_id", type_=Uuid()),
        )
        _BY_ID_AND_OWNER[model] = stmt
    params = {"row_id": row_id, "owner_id": owner.id}
    row: M | None = (await session.execute(stmt, params)).scalar_one_or_none()
    if row is None:
        raise NotFoundError(what)
    return row


async def delete_owned_or_404(
    session: AsyncSession, model: type[OwnedMixin], row_id: uuid.UUID, owner: Owner, what: str
) -> None:
    """Delete the row with this id *and* this owner in one statement, else a 404."""
    id_column = getattr(model, "id")  # noqa: B009 - the mixin does not declare `id`
    stmt = delete(model).where(id_column == row_id, model.owner_id == owner.id)
    result = await session.execute(stmt)
    if getattr(result, "rowcount", 0) != 1:
        raise NotFoundError(what)
