"""The blob store on a local directory and on a real S3-compatible server (moto, loopback)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from cvlens.platform.storage import BlobNotFoundError, ObjectBlobStore, create_blob_store
from cvlens.settings import Settings
from tests.s3server import create_bucket, s3_server


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as endpoint:
        create_bucket(endpoint, "cvlens-test")
        yield endpoint


@pytest.fixture(params=["local", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ObjectBlobStore]:
    if request.param == "local":
        settings = Settings(storage_url=f"file://{tmp_path / 'blobs'}")
    else:
        endpoint = request.getfixturevalue("s3_endpoint")
        settings = Settings(
            storage_url=f"s3://cvlens-test/run-{tmp_path.name}",
            s3_endpoint_url=endpoint,
            s3_access_key_id="testing",
            s3_secret_access_key="testing",
        )
    yield create_blob_store(settings)


async def test_put_get_delete_roundtrip(store: ObjectBlobStore) -> None:
    payload = bytes(range(256)) * 1000
    await store.put("resumes/u1/abc.pdf", payload)
    assert await store.get("resumes/u1/abc.pdf") == payload
    await store.delete("resumes/u1/abc.pdf")
    with pytest.raises(BlobNotFoundError):
        await store.get("resumes/u1/abc.pdf")


async def test_delete_is_idempotent_and_probe_works(store: ObjectBlobStore) -> None:
    await store.delete("never/was/here")
    await store.probe()


async def test_s3_objects_live_under_the_prefix(s3_endpoint: str, tmp_path: Path) -> None:
    import httpx

    settings = Settings(
        storage_url="s3://cvlens-test/tenant-a",
        s3_endpoint_url=s3_endpoint,
        s3_access_key_id="testing",
        s3_secret_access_key="testing",
    )
    await create_blob_store(settings).put("x.txt", b"hi")
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{s3_endpoint}/cvlens-test?list-type=2&prefix=tenant-a/")
    listing = response.text
    assert "<Key>tenant-a/x.txt</Key>" in listing


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="CVLENS_STORAGE_URL"):
        create_blob_store(Settings(storage_url="ftp://nope"))
