"""The password policy: length, the common-password list, the user's own email."""

from __future__ import annotations

import pytest

from cvlens.features.auth.passwords import common_passwords, weakness


def test_the_shipped_list_is_loaded_whole() -> None:
    words = common_passwords()
    assert len(words) > 29_000
    assert {"password", "123456", "qwertyuiop", "1q2w3e4r5t"} <= words
    assert not any(w.startswith("#") for w in words)


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short", "at least 10 characters"),
        ("QWERTYUIOP", "most common"),
        ("password123", "most common"),
        ("ada.lovelace", "email"),
        ("ada.lovelace@example.com", "email"),
    ],
)
def test_refused(password: str, expected: str) -> None:
    reason = weakness(password, "Ada.Lovelace@example.com")
    assert reason is not None and expected in reason


def test_accepted() -> None:
    assert weakness("correct horse battery staple", "ada@example.com") is None
