"""legacy_v1's own settings (env `CVLENS_LEGACY_*`)."""

from __future__ import annotations

from functools import cache

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "legacy-dev-secret-change-me"


class LegacySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CVLENS_LEGACY_", extra="ignore")

    # Must equal the legacy app's SECRET_KEY: both sides sign and accept the same tokens.
    secret_key: SecretStr = SecretStr(DEV_SECRET)


@cache
def legacy_settings() -> LegacySettings:
    return LegacySettings()
