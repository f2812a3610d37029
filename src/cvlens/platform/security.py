"""Keys, tokens and passwords: the cryptography of authentication, with no database access.

- `SigningKey`: the service's Ed25519 key (EdDSA). Loaded from `CVLENS_JWT_PRIVATE_KEY`, or,
  in the embedded default, generated once into `<data_dir>/jwt-ed25519.pem` (mode 0600).
  Its `kid` is the RFC 7638 thumbprint of the public key, so every replica that loads the
  same key publishes the same `kid`.
- `TokenIssuer`: issues and verifies our own JWTs. The algorithm is pinned to the key's
  (`alg: none` and HS256-with-the-public-key are refused by construction), and `exp`, `iat`,
  `sub`, `typ`, `iss` and `aud` are required; `typ` separates access from refresh tokens.
- `ExternalVerifier`: verifies an external identity provider's tokens (Clerk, Supabase,
  Auth0, Cognito…) against its JWKS, fetched with httpx and cached; an unknown `kid` causes a
  refetch, at most once per `min_refetch_seconds`, so a flood of forged `kid`s cannot hammer
  the provider.
- `PasswordHasher`: argon2 through pwdlib, run in a worker thread, with a dummy hash so a
  login for an unknown email does the same work as one for a known email.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import stat
import tempfile
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import httpx
import jwt
import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

log = structlog.get_logger("cvlens.security")

KEY_FILE_NAME = "jwt-ed25519.pem"
OWN_ALGORITHM = "EdDSA"
OWN_AUDIENCE = "cvlens"
OWN_ISSUER = "cvlens"
TokenType = Literal["access", "refresh"]
# Algorithms an external IdP may use: asymmetric only (a JWKS never carries an HMAC secret).
EXTERNAL_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
CLOCK_LEEWAY_SECONDS = 30
VERIFIED_TOKENS_KEPT = 4096


class InvalidTokenError(Exception):
    """The bearer token is malformed, forged, expired or not meant for us (a 401)."""


class IdentityProviderUnavailableError(Exception):
    """The external IdP's JWKS could not be fetched and no cached key matched (a 503)."""


# --- keys -----------------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638: SHA-256 over the key's required members, sorted, without whitespace."""
    required = {
        "OKP": ("crv", "kty", "x"),
        "EC": ("crv", "kty", "x", "y"),
        "RSA": ("e", "kty", "n"),
    }[jwk["kty"]]
    canonical = json.dumps({k: jwk[k] for k in required}, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode()).digest())


@dataclass(frozen=True)
class SigningKey:
    private_key: Ed25519PrivateKey
    kid: str
    public_jwk: dict[str, str]

    @classmethod
    def from_private_key(cls, private_key: Ed25519PrivateKey) -> SigningKey:
        public: dict[str, str] = OKPAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        kid = jwk_thumbprint(public)
        return cls(private_key, kid, {**public, "kid": kid, "alg": OWN_ALGORITHM, "use": "sig"})

    @classmethod
    def from_pem(cls, pem: bytes) -> SigningKey:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("CVLENS_JWT_PRIVATE_KEY must be an Ed25519 private key (PEM)")
        return cls.from_private_key(key)

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [self.public_jwk]}


def load_or_create_key_file(path: Path) -> SigningKey:
    """Load the key file, or create it atomically (mode 0600) when no replica has yet.

    The new key is written to a private temporary file and hard-linked into place, so two
    processes starting at once both end up with the one key that won, never a torn file.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".jwt-key-")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(pem)
            try:
                os.link(tmp_name, path)
                log.info("jwt_key_generated", path=str(path))
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp_name)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise PermissionError(f"{path} is readable by others (mode {mode:o}); chmod 600 it")
    return SigningKey.from_pem(path.read_bytes())


def load_signing_key(pem: str | None, data_dir: Path) -> SigningKey:
    if pem:
        return SigningKey.from_pem(pem.encode())
    return load_or_create_key_file(data_dir / KEY_FILE_NAME)


# --- our own tokens -------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnClaims:
    subject: str
    type: TokenType
    session_id: uuid.UUID
    token_id: uuid.UUID
    expires_at: datetime


@dataclass(frozen=True)
class IssuedToken:
    token: str
    token_id: uuid.UUID
    expires_at: datetime


class TokenIssuer:
    def __init__(
        self,
        key: SigningKey,
        access_ttl: timedelta,
        refresh_ttl: timedelta,
        *,
        issuer: str = OWN_ISSUER,
        audience: str = OWN_AUDIENCE,
    ) -> None:
        self.key = key
        self.ttl: dict[TokenType, timedelta] = {"access": access_ttl, "refresh": refresh_ttl}
        self.issuer = issuer
        self.audience = audience
        # Access tokens whose signature and claims were verified, by their exact text. A
        # client sends the same token with every request for its lifetime, and the same
        # bytes verify the same way until they expire; `exp` is checked again on every
        # use. Whether the session is still live is not cached (the caller asks the
        # database each time). Bounded, oldest first out; per issuer, so per key.
        self._verified: OrderedDict[str, OwnClaims] = OrderedDict()

    def issue(self, subject: str, token_type: TokenType, session_id: uuid.UUID) -> IssuedToken:
        now = datetime.now(UTC)
        token_id = uuid.uuid4()
        expires_at = now + self.ttl[token_type]
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "typ": token_type,
            "sid": str(session_id),
            "jti": str(token_id),
            "iat": now,
            "exp": expires_at,
        }
        token = jwt.encode(
            claims, self.key.private_key, algorithm=OWN_ALGORITHM, headers={"kid": self.key.kid}
        )
        return IssuedToken(token, token_id, expires_at)

    def owns(self, token: str) -> bool:
        """Whether the token names our key (so it is ours to verify, not the IdP's)."""
        return token in self._verified or _unverified_kid(token) == self.key.kid

    def verify(self, token: str, token_type: TokenType) -> OwnClaims:
        known = self._verified.get(token)
        if known is not None and token_type == "access":
            if datetime.now(UTC) >= known.expires_at + timedelta(seconds=CLOCK_LEEWAY_SECONDS):
                self._verified.pop(token, None)
                raise InvalidTokenError("Signature has expired")
            self._verified.move_to_end(token)
            return known
        claims = self._verify_signed(token, token_type)
        if token_type == "access":
            self._verified[token] = claims
            if len(self._verified) > VERIFIED_TOKENS_KEPT:
                self._verified.popitem(last=False)
        return claims

    def _verify_signed(self, token: str, token_type: TokenType) -> OwnClaims:
        if not self.owns(token):
            raise InvalidTokenError("token is not signed by a known key")
        try:
            claims = jwt.decode(
                token,
                self.key.private_key.public_key(),
                algorithms=[OWN_ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "sub", "typ", "iss", "aud", "sid", "jti"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidTokenError(str(exc)) from None
        if claims["typ"] != token_type:
            raise InvalidTokenError(f"a {claims['typ']} token cannot be used as {token_type}")
        try:
            session_id, token_id = uuid.UUID(claims["sid"]), uuid.UUID(claims["jti"])
        except (ValueError, TypeError, AttributeError):
            raise InvalidTokenError("malformed sid or jti claim") from None
        return OwnClaims(
            subject=str(claims["sub"]),
            type=token_type,
            session_id=session_id,
            token_id=token_id,
            expires_at=datetime.fromtimestamp(claims["exp"], UTC),
        )


def _unverified_kid(token: str) -> str | None:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError:
        raise InvalidTokenError("malformed token") from None
    return kid if isinstance(kid, str) else None


# --- external identity provider -------------------------------------------------------------


@dataclass(frozen=True)
class ExternalIdentity:
    issuer: str
    subject: str
    email: str | None
    name: str | None


class ExternalVerifier:
    """Verifies an IdP's tokens against its JWKS (cached; refetched on an unknown `kid`)."""

    def __init__(
        self,
        jwks_url: str,
        issuer: str,
        audience: str | None,
        *,
        min_refetch_seconds: float = 30.0,
        max_key_age_seconds: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.jwks_url = jwks_url
        self.issuer = issuer
        self.audience = audience
        self.min_refetch_seconds = min_refetch_seconds
        self.max_key_age_seconds = max_key_age_seconds
        self._clock = clock
        self._http = http or httpx.AsyncClient(timeout=5.0)
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()
        self.fetch_count = 0

    async def aclose(self) -> None:
        await self._http.aclose()

    async def verify(self, token: str) -> ExternalIdentity:
        kid = _unverified_kid(token)
        if kid is None:
            raise InvalidTokenError("token has no kid")
        key = await self._key_for(kid)
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[key.algorithm_name],
                issuer=self.issuer,
                audience=self.audience,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={
                    "require": ["exp", "iat", "sub", "iss"],
                    "verify_aud": self.audience is not None,
                },
            )
        except jwt.PyJWTError as exc:
            raise InvalidTokenError(str(exc)) from None
        email, name = claims.get("email"), claims.get("name")
        return ExternalIdentity(
            issuer=self.issuer,
            subject=str(claims["sub"]),
            email=email if isinstance(email, str) else None,
            name=name if isinstance(name, str) else None,
        )

    def _age(self) -> float:
        """Seconds since the last fetch (infinite before the first one)."""
        if self._fetched_at is None:
            return float("inf")
        return self._clock() - self._fetched_at

    async def _key_for(self, kid: str) -> jwt.PyJWK:
        if kid not in self._keys or self._age() >= self.max_key_age_seconds:
            await self._refetch(kid)
        key = self._keys.get(kid)
        if key is None:
            raise InvalidTokenError("token is signed by an unknown key")
        return key

    async def _refetch(self, kid: str) -> None:
        async with self._lock:
            if kid in self._keys and self._age() < self.max_key_age_seconds:
                return  # another request fetched it while we waited for the lock
            if self._age() < self.min_refetch_seconds:
                return  # fetched moments ago: an unknown kid now is a forgery, not a rotation
            self._fetched_at = self._clock()
            self.fetch_count += 1
            try:
                response = await self._http.get(self.jwks_url)
                response.raise_for_status()
                self._keys = _parse_jwks(response.json())
            except (httpx.HTTPError, ValueError) as exc:
                log.warning("idp_jwks_fetch_failed", url=self.jwks_url, error=str(exc))
                if not self._keys:
                    raise IdentityProviderUnavailableError(str(exc)) from None


def _parse_jwks(document: Any) -> dict[str, jwt.PyJWK]:
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("JWKS document has no `keys` list")
    keys: dict[str, jwt.PyJWK] = {}
    for entry in document["keys"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str):
            continue
        if entry.get("use", "sig") != "sig":
            continue
        try:
            key = jwt.PyJWK(entry)
        except jwt.PyJWTError:
            continue
        if key.algorithm_name in EXTERNAL_ALGORITHMS:
            keys[entry["kid"]] = key
    return keys


# --- passwords and opaque secrets -----------------------------------------------------------


# Hashes of random, discarded passwords, one per cost level. Verifying against one costs what
# verifying a real hash of that level costs (the work is set by the parameters inside the
# hash). Precomputed so app start-up does not pay a full argon2 hash; a unit test checks
# that they still match the hasher's parameters.
DUMMY_HASHES = {
    "recommended": (
        "$argon2id$v=19$m=65536,t=3,p=4$YdX5jQehDH1gq4Mhr8cQ3A$"
        "qbPiLm2apHtS8+cgk2Vd9nwYxu3e6QWlWoJgcL9XoRY"
    ),
    "low": (
        "$argon2id$v=19$m=1024,t=1,p=1$627GOsvBO+GenptDKkrG6A$"
        "MWQ5fICdfdFEZlQj7TIkx9xKErgWkveHXkyLJrXYFlE"
    ),
}


class PasswordHasher:
    """argon2id via pwdlib; `low` cost exists only to keep test suites fast."""

    def __init__(self, cost: Literal["recommended", "low"] = "recommended") -> None:
        self.argon2 = (
            Argon2Hasher()
            if cost == "recommended"
            else Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1)
        )
        self._hash = PasswordHash((self.argon2,))
        self.dummy_hash = DUMMY_HASHES[cost]

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hash.hash, password)

    async def verify(self, password: str, hashed: str | None) -> tuple[bool, str | None]:
        """(matches, new hash when the parameters changed). No hash: same work, no match."""
        if hashed is None:
            await asyncio.to_thread(self._hash.verify, password, self.dummy_hash)
            return False, None
        return await asyncio.to_thread(self._hash.verify_and_update, password, hashed)


def keyed_digest(secret: str, value: str) -> str:
    """HMAC-SHA256 of a high-entropy token: what we store instead of the token itself."""
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()
