"""All configuration in one place: environment variables prefixed `CVLENS_`, or a `.env` file.

The defaults are the embedded ones (SQLite, local files, in-process jobs) so `make run`
needs nothing else; every scale-out engine is switched on by a URL setting.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"
SECRET_FIELDS = ("secret_key", "s3_secret_access_key", "jwt_private_key")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CVLENS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    env: Literal["dev", "test", "prod"] = Field(
        "dev", description="`dev` allows the built-in development secrets; anything else refuses"
    )
    data_dir: Path = Field(Path("var"), description="Where embedded defaults keep their files")
    database_url: str = Field(
        "sqlite+aiosqlite:///./var/cvlens.db",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///… or postgresql+asyncpg://…",
    )
    database_schema: str | None = Field(
        None, description="PostgreSQL schema (search_path) for every table; unset = public"
    )
    database_pool_size: int = Field(
        10, ge=1, description="PostgreSQL connections per process (and as many more at peaks)"
    )
    storage_url: str = Field(
        "file://./var/blobs", description="Blob store: file://DIR or s3://bucket/prefix"
    )
    s3_endpoint_url: str | None = Field(None, description="S3-compatible endpoint (MinIO, …)")
    s3_region: str = Field("us-east-1", description="S3 region")
    s3_access_key_id: str | None = Field(None, description="S3 access key id")
    s3_secret_access_key: SecretStr | None = Field(None, description="S3 secret access key")
    broker_url: str | None = Field(
        None, description="Job broker: amqp://… (RabbitMQ) or redis://…; unset = in-process"
    )
    broker_queue: str = Field("cvlens.jobs", description="Queue (and exchange) name for jobs")
    redis_url: str | None = Field(
        None, description="Redis for rate limits, cache and progress fan-out; unset = memory"
    )
    secret_key: SecretStr = Field(
        SecretStr(DEV_SECRET_KEY), description="Signs cookies and opaque tokens"
    )
    jwt_private_key: SecretStr | None = Field(
        None, description="PEM private key (Ed25519) for access tokens; unset = generated file"
    )
    access_token_ttl_seconds: int = Field(900, ge=60, description="Access-token lifetime")
    refresh_token_ttl_seconds: int = Field(
        30 * 24 * 3600, ge=300, description="Refresh-token lifetime"
    )
    auth_jwks_url: str | None = Field(None, description="External IdP JWKS URL")
    auth_issuer: str | None = Field(None, description="External IdP issuer (`iss`)")
    auth_audience: str | None = Field(None, description="External IdP audience (`aud`)")
    auth_jwks_min_refetch_seconds: float = Field(
        30.0, ge=0, description="Least time between JWKS fetches caused by an unknown `kid`"
    )
    password_hash_cost: Literal["recommended", "low"] = Field(
        "recommended", description="argon2 cost; `low` is for tests only and refused in prod"
    )
    rate_limit_register: str = Field(
        "10/hour", description="Registrations per client address (`limits` notation)"
    )
    rate_limit_token: str = Field(
        "20/minute", description="Log-in attempts per client address (`limits` notation)"
    )
    redis_key_prefix: str = Field("cvlens", description="Prefix of every Redis key we write")
    max_upload_bytes: int = Field(10 * 1024 * 1024, ge=1, description="Upload size cap")
    max_pages: int = Field(20, ge=1, description="Pages analysed per document at most")
    worker_concurrency: int = Field(2, ge=1, description="Jobs run at once per worker process")
    job_max_attempts: int = Field(3, ge=1, description="Attempts before a job fails")
    job_lease_seconds: int = Field(30, ge=2, description="A job's lease before it is retried")
    job_sweep_seconds: float = Field(
        5.0, gt=0, description="How often workers look for jobs whose message or worker was lost"
    )
    events_poll_seconds: float = Field(
        1.0, gt=0, description="Event streams re-read the job row after this much silence"
    )
    analysis_timeout_seconds: float = Field(
        60.0, gt=0, description="Time limit for analysing one document"
    )
    analysis_stage_delay_seconds: float = Field(
        0.0, ge=0, description="Pause between analysis stages (demos and crash tests only)"
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS (JSON list)"
    )
    log_level: str = Field("INFO", description="Log level")
    log_json: bool | None = Field(None, description="JSON logs; unset = JSON when not a TTY")

    @model_validator(mode="after")
    def _refuse_dev_secrets(self) -> Settings:
        if self.env != "dev" and self.secret_key.get_secret_value() == DEV_SECRET_KEY:
            raise ValueError(
                "CVLENS_SECRET_KEY still has its development default; set a secret "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) "
                "or use CVLENS_ENV=dev"
            )
        if self.auth_jwks_url and not self.auth_issuer:
            raise ValueError("CVLENS_AUTH_JWKS_URL needs CVLENS_AUTH_ISSUER (the tokens' `iss`)")
        if self.env == "prod" and self.password_hash_cost != "recommended":
            raise ValueError("CVLENS_PASSWORD_HASH_COST=low is for tests; refused in prod")
        return self

    @field_validator("rate_limit_register", "rate_limit_token")
    @classmethod
    def _parse_rate_limit(cls, value: str) -> str:
        from limits import parse

        parse(value)  # raises ValueError naming the bad notation
        return value

    @cached_property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def masked(self) -> dict[str, Any]:
        """The effective settings with every secret replaced by `****`."""
        values = self.model_dump(mode="json")
        for name in SECRET_FIELDS:
            if values.get(name):
                values[name] = "****"
        values["database_url"] = _mask_url_password(values["database_url"])
        for name in ("broker_url", "redis_url"):
            if values.get(name):
                values[name] = _mask_url_password(values[name])
        return values


def _mask_url_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return url
    if parsed.password:
        return parsed.render_as_string(hide_password=True)
    return url
