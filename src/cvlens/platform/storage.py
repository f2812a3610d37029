"""Blob storage on obstore: a local directory (embedded default) or any S3-compatible store.

`CVLENS_STORAGE_URL=file://./var/blobs` keeps blobs on disk; `s3://bucket/prefix` with
`CVLENS_S3_ENDPOINT_URL` (MinIO, SeaweedFS, Supabase Storage, …) and credentials puts them in
object storage. Both sit behind the same three calls, so services never know which.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlparse

import obstore
from obstore.exceptions import NotFoundError as ObstoreNotFound
from obstore.store import LocalStore, S3Store

from cvlens.settings import Settings

if TYPE_CHECKING:
    from obstore.store import ObjectStore


class BlobNotFoundError(LookupError):
    pass


class BlobStore(Protocol):
    async def put(self, key: str, data: bytes) -> None: ...
    async def get(self, key: str) -> bytes: ...
    async def delete(self, key: str) -> None: ...
    async def probe(self) -> None: ...


class ObjectBlobStore:
    """A `BlobStore` over any obstore backend."""

    def __init__(self, store: ObjectStore, description: str) -> None:
        self._store = store
        self.description = description

    async def put(self, key: str, data: bytes) -> None:
        await obstore.put_async(self._store, key, data)

    async def get(self, key: str) -> bytes:
        try:
            result = await obstore.get_async(self._store, key)
        except (FileNotFoundError, ObstoreNotFound) as exc:
            raise BlobNotFoundError(key) from exc
        return bytes(await result.bytes_async())

    async def delete(self, key: str) -> None:
        """Idempotent: deleting a missing blob is not an error."""
        try:
            await obstore.delete_async(self._store, key)
        except (FileNotFoundError, ObstoreNotFound):
            return

    async def probe(self) -> None:
        """Readiness: write, read back and delete a marker object."""
        key = ".ready-probe"
        await self.put(key, b"ok")
        if await self.get(key) != b"ok":
            raise RuntimeError("storage returned different bytes than were written")
        await self.delete(key)


def create_blob_store(settings: Settings) -> ObjectBlobStore:
    url = settings.storage_url
    if url.startswith("file://"):
        directory = Path(url.removeprefix("file://")).resolve()
        directory.mkdir(parents=True, exist_ok=True)
        return ObjectBlobStore(
            LocalStore(prefix=directory, automatic_cleanup=True), f"file://{directory}"
        )
    if url.startswith("s3://"):
        parsed = urlparse(url)
        prefix = parsed.path.strip("/") or None
        secret = settings.s3_secret_access_key
        kwargs: dict[str, object] = {"region": settings.s3_region}
        if settings.s3_endpoint_url:
            kwargs["endpoint"] = settings.s3_endpoint_url
        if settings.s3_access_key_id:
            kwargs["access_key_id"] = settings.s3_access_key_id
        if secret is not None:
            kwargs["secret_access_key"] = secret.get_secret_value()
        allow_http = bool(settings.s3_endpoint_url and settings.s3_endpoint_url.startswith("http:"))
        store = S3Store(
            parsed.netloc,
            prefix=prefix,
            client_options={"allow_http": allow_http},
            **kwargs,  # type: ignore[arg-type]
        )
        return ObjectBlobStore(store, url)
    raise ValueError(
        f"unsupported CVLENS_STORAGE_URL {url!r}: use file://DIR or s3://bucket/prefix"
    )
