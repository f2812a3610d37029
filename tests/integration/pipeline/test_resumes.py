"""Uploading, listing, downloading and deleting résumés; isolation between users."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from cvlens.settings import Settings
from tests.integration.pipeline.conftest import BAD, RESUMES, upload, upload_bytes

PROBLEM = "application/problem+json"


async def test_upload_then_read_back(client: httpx.AsyncClient, alice: dict[str, str]) -> None:
    pdf = RESUMES / "jane_doe.pdf"
    created = await upload(client, alice, pdf)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["format"] == "pdf"
    assert body["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert created.headers["location"] == f"/api/v1/resumes/{body['id']}"

    fetched = await client.get(f"/api/v1/resumes/{body['id']}", headers=alice)
    assert fetched.json() == body
    file = await client.get(f"/api/v1/resumes/{body['id']}/file", headers=alice)
    assert file.content == pdf.read_bytes()
    assert file.headers["content-type"] == "application/pdf"
    assert file.headers["content-disposition"].startswith('attachment; filename="jane_doe.pdf"')
    assert file.headers["x-content-type-options"] == "nosniff"


async def test_same_bytes_again_return_the_same_record(
    client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str]
) -> None:
    first = await upload(client, alice, RESUMES / "jane_doe.docx")
    again = await upload(client, alice, RESUMES / "jane_doe.docx", name="renamed.docx")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    other_user = await upload(client, bob, RESUMES / "jane_doe.docx")
    assert other_user.status_code == 201
    assert other_user.json()["id"] != first.json()["id"]


async def test_same_bytes_uploaded_at_once_keep_one_record_and_one_file(
    client: httpx.AsyncClient, alice: dict[str, str], settings: Settings
) -> None:
    data = (RESUMES / "jane_doe.pdf").read_bytes()
    responses = await asyncio.gather(
        *(upload_bytes(client, alice, data, f"cv-{n}.pdf") for n in range(6))
    )
    assert all(r.status_code in (200, 201) for r in responses), [r.text for r in responses]
    assert sum(r.status_code == 201 for r in responses) == 1
    assert len({r.json()["id"] for r in responses}) == 1
    listed = await client.get("/api/v1/resumes", headers=alice)
    assert listed.json()["total"] == 1
    blobs = Path(settings.storage_url.removeprefix("file://"))
    assert len([p for p in blobs.rglob("*") if p.is_file()]) == 1


async def test_type_comes_from_content_not_name(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    disguised = await upload(client, alice, RESUMES / "jane_doe.pdf", name="resume.txt")
    assert disguised.json()["format"] == "pdf"
    markdown = await upload(client, alice, RESUMES / "jane_doe.md")
    assert markdown.json()["format"] == "md"


async def test_list_is_paginated_and_newest_first(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    ids = []
    for n in range(3):
        response = await upload_bytes(client, alice, f"Jane Doe\nresume {n}\n".encode(), "r.txt")
        ids.append(response.json()["id"])
    page = (await client.get("/api/v1/resumes?limit=2", headers=alice)).json()
    assert page["total"] == 3 and page["limit"] == 2
    assert [r["id"] for r in page["items"]] == ids[::-1][:2]
    rest = (await client.get("/api/v1/resumes?limit=2&offset=2", headers=alice)).json()
    assert [r["id"] for r in rest["items"]] == [ids[0]]


async def test_delete_removes_row_blob_and_analyses(
    app: FastAPI, client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    resume = (await upload(client, alice, RESUMES / "jane_doe.txt")).json()
    analysis = await client.post(
        "/api/v1/analyses", json={"resume_id": resume["id"]}, headers=alice
    )
    assert analysis.status_code == 202
    blob_dir = Path(app.state.settings.storage_url.removeprefix("file://"))
    assert any(p.is_file() for p in blob_dir.rglob("*"))

    deleted = await client.delete(f"/api/v1/resumes/{resume['id']}", headers=alice)
    assert deleted.status_code == 204
    assert (await client.get(f"/api/v1/resumes/{resume['id']}", headers=alice)).status_code == 404
    gone = await client.get(f"/api/v1/analyses/{analysis.json()['id']}", headers=alice)
    assert gone.status_code == 404
    assert not any(p.is_file() for p in blob_dir.rglob("*") if p.name != ".ready-probe")
    again = await client.delete(f"/api/v1/resumes/{resume['id']}", headers=alice)
    assert again.status_code == 404


async def test_another_users_resume_is_a_404_everywhere(
    client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str]
) -> None:
    resume = (await upload(client, alice, RESUMES / "jane_doe.pdf")).json()
    analysis = (
        await client.post("/api/v1/analyses", json={"resume_id": resume["id"]}, headers=alice)
    ).json()
    rid, aid = resume["id"], analysis["id"]
    attempts = [
        await client.get(f"/api/v1/resumes/{rid}", headers=bob),
        await client.get(f"/api/v1/resumes/{rid}/file", headers=bob),
        await client.delete(f"/api/v1/resumes/{rid}", headers=bob),
        await client.post("/api/v1/analyses", json={"resume_id": rid}, headers=bob),
        await client.get(f"/api/v1/analyses/{aid}", headers=bob),
        await client.get(
            f"/api/v1/analyses/{aid}/events", headers={**bob, "Accept": "text/event-stream"}
        ),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert all(r.headers["content-type"] == PROBLEM for r in attempts)
    assert (await client.get("/api/v1/resumes", headers=bob)).json()["total"] == 0
    assert (await client.get("/api/v1/analyses", headers=bob)).json()["total"] == 0
    assert (await client.get(f"/api/v1/resumes/{rid}", headers=alice)).status_code == 200


async def test_requests_without_a_token_are_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/resumes")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    ("data_file", "name", "status", "slug"),
    [
        ("empty.pdf", "empty.pdf", 422, "empty-file"),
        ("picture.png", "photo.png", 415, "unsupported-file-type"),
        ("zip_named.pdf", "resume.pdf", 415, "unsupported-file-type"),
    ],
)
async def test_bad_files_are_refused_at_upload(
    client: httpx.AsyncClient,
    alice: dict[str, str],
    data_file: str,
    name: str,
    status: int,
    slug: str,
) -> None:
    response = await upload(client, alice, BAD / data_file, name=name)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"].endswith(slug)
    assert (await client.get("/api/v1/resumes", headers=alice)).json()["total"] == 0


async def test_oversized_upload_is_413_without_storing(
    app: FastAPI, client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    limit = app.state.settings.max_upload_bytes
    response = await upload_bytes(client, alice, b"a" * (limit + 1), "big.txt")
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    huge = await upload_bytes(client, alice, b"a" * (limit + 200_000), "huge.txt")
    assert huge.status_code == 413

    async def chunks():  # type: ignore[no-untyped-def]
        yield b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
        for _ in range(limit // 65536 + 8):
            yield b"b" * 65536

    streamed = await client.post(
        "/api/v1/resumes",
        content=chunks(),
        headers={**alice, "content-type": "multipart/form-data; boundary=xyz"},
    )
    assert streamed.status_code == 413, streamed.text
    assert (await client.get("/api/v1/resumes", headers=alice)).json()["total"] == 0
