"""Password policy: at least 10 characters and not one of the 30,000 most common passwords.

The list (`data/common-passwords.txt`) is zxcvbn's `passwords` frequency list (MIT licence,
see `data/common-passwords.LICENSE.txt`); comparison ignores case.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from cvlens.platform.errors import ProblemError

MIN_PASSWORD_LENGTH = 10


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("data/common-passwords.txt").read_text()
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line and not line.startswith("#")
    )


def weakness(password: str, email: str | None) -> str | None:
    """Why the password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters"
    lowered = password.lower()
    if lowered in common_passwords():
        return "is one of the most common passwords; choose another"
    if email and lowered in {email.lower(), email.split("@")[0].lower()}:
        return "must not be your email address"
    return None


def require_strong_password(password: str, email: str | None, field: str = "password") -> None:
    reason = weakness(password, email)
    if reason is not None:
        raise invalid_field(field, reason)


def invalid_field(field: str, reason: str) -> ProblemError:
    """A 422 problem shaped like request-validation errors, naming one body field."""
    return ProblemError(
        422,
        "validation-error",
        f"invalid request: {field}",
        extra={"errors": [{"name": field, "reason": reason, "location": ["body", field]}]},
    )
