"""What `cvlens user …` does, outside any request (its own engine and transaction)."""

from __future__ import annotations

from pydantic import EmailStr, TypeAdapter, ValidationError

from cvlens.features.auth.models import User
from cvlens.features.auth.passwords import invalid_field
from cvlens.features.auth.service import create_user
from cvlens.platform.db import create_engine, create_sessionmaker
from cvlens.platform.security import PasswordHasher
from cvlens.settings import Settings


async def create_user_command(settings: Settings, email: str, password: str, admin: bool) -> User:
    """Create a local account (ProblemError on a bad or taken email, or a weak password)."""
    try:
        email = TypeAdapter(EmailStr).validate_python(email)
    except ValidationError as exc:
        raise invalid_field("email", exc.errors()[0]["msg"]) from None
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            user = await create_user(
                session,
                PasswordHasher(settings.password_hash_cost),
                email,
                password,
                role="admin" if admin else "user",
            )
            await session.commit()
            return user
    finally:
        await engine.dispose()
