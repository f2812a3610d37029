"""The per-app auth objects (keys, token issuer, password hasher, IdP verifier).

Built once in the app's lifespan and kept on `app.state.auth`; nothing here is a module
global, so two apps in one process (tests) never share keys or caches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request

from cvlens.platform.security import (
    ExternalVerifier,
    PasswordHasher,
    TokenIssuer,
    keyed_digest,
    load_signing_key,
)
from cvlens.settings import Settings


@dataclass
class AuthRuntime:
    issuer: TokenIssuer
    passwords: PasswordHasher
    external: ExternalVerifier | None
    digest_secret: str

    @classmethod
    def from_settings(cls, settings: Settings) -> AuthRuntime:
        private_pem = settings.jwt_private_key
        key = load_signing_key(
            private_pem.get_secret_value() if private_pem else None, settings.data_dir
        )
        issuer = TokenIssuer(
            key,
            access_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
            refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
        )
        external = None
        if settings.auth_jwks_url and settings.auth_issuer:  # Settings requires both together
            external = ExternalVerifier(
                settings.auth_jwks_url,
                settings.auth_issuer,
                settings.auth_audience,
                min_refetch_seconds=settings.auth_jwks_min_refetch_seconds,
            )
        return cls(
            issuer=issuer,
            passwords=PasswordHasher(settings.password_hash_cost),
            external=external,
            digest_secret=settings.secret_key.get_secret_value(),
        )

    def digest(self, token: str) -> str:
        return keyed_digest(self.digest_secret, token)

    async def aclose(self) -> None:
        if self.external is not None:
            await self.external.aclose()


async def auth_runtime(request: Request) -> AuthRuntime:
    # async: FastAPI runs a plain `def` dependency on a worker thread (a hop per request).
    runtime: AuthRuntime = request.app.state.auth
    return runtime
