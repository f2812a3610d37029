"""The isolation helper scopes by owner inside the SQL; another user's row is a 404."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from cvlens.features.auth.models import ApiToken, User
from cvlens.platform.errors import NotFoundError
from cvlens.platform.ownership import (
    delete_owned_or_404,
    get_owned_or_404,
    owned,
    owned_update,
)


async def _user(app: FastAPI, label: str) -> User:
    async with app.state.sessionmaker() as session:
        user = User(email=f"{label}-{uuid.uuid4().hex[:6]}@example.com")
        session.add(user)
        await session.commit()
        return user


async def _token(app: FastAPI, owner: User) -> uuid.UUID:
    async with app.state.sessionmaker() as session:
        row = ApiToken(
            owner_id=owner.id, name="probe", prefix="cvl_probe", token_hash=uuid.uuid4().hex
        )
        session.add(row)
        await session.commit()
        return row.id


def test_owned_adds_the_owner_to_the_where_clause() -> None:
    owner = User(id=uuid.uuid4())
    sql = str(owned(select(ApiToken), ApiToken, owner).compile())
    assert "WHERE api_tokens.owner_id = :owner_id_1" in sql
    update_sql = str(owned_update(ApiToken, owner).values(name="x").compile())
    assert "WHERE api_tokens.owner_id = :owner_id_1" in update_sql


async def test_get_and_delete_are_404_for_another_owner(app: FastAPI) -> None:
    alice, bob = await _user(app, "alice"), await _user(app, "bob")
    token_id = await _token(app, alice)
    async with app.state.sessionmaker() as session:
        row = await get_owned_or_404(session, ApiToken, token_id, alice, "API token")
        assert row.id == token_id
        with pytest.raises(NotFoundError, match="API token not found"):
            await get_owned_or_404(session, ApiToken, token_id, bob, "API token")
        with pytest.raises(NotFoundError):
            await delete_owned_or_404(session, ApiToken, token_id, bob, "API token")
        await session.commit()
    async with app.state.sessionmaker() as session:
        listed = list(await session.scalars(owned(select(ApiToken), ApiToken, bob)))
        assert listed == []
        await delete_owned_or_404(session, ApiToken, token_id, alice, "API token")
        await session.commit()
    async with app.state.sessionmaker() as session:
        assert list(await session.scalars(select(ApiToken))) == []
