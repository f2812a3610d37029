"""Analyses in the embedded default: queue, run in-process, read the result, watch events."""

from __future__ import annotations

import json
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI

from cvlens.app import create_app
from cvlens.features.analyses.engine import analyze_file
from cvlens.settings import Settings
from tests.conftest import scalar
from tests.integration.pipeline.conftest import (
    BAD,
    RESUMES,
    sign_up,
    upload,
    wait_for_analysis,
)

JOB = """Senior Backend Engineer. Requirements: 5+ years of Python, PostgreSQL, Docker,
Kubernetes and AWS. Experience with Go is a plus. Bachelor's degree in Computer Science."""


async def _analyse(
    client: httpx.AsyncClient, headers: dict[str, str], resume_id: str, job: str | None = None
) -> httpx.Response:
    body: dict[str, Any] = {"resume_id": resume_id}
    if job is not None:
        body["job_description"] = job
    return await client.post("/api/v1/analyses", json=body, headers=headers)


async def test_analysis_result_equals_the_cli_json(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    pdf = RESUMES / "jane_doe.pdf"
    resume = (await upload(client, alice, pdf)).json()
    accepted = await _analyse(client, alice, resume["id"], JOB)
    assert accepted.status_code == 202, accepted.text
    body = accepted.json()
    assert body["status"] == "queued"
    assert body["links"] == {
        "self": f"/api/v1/analyses/{body['id']}",
        "events": f"/api/v1/analyses/{body['id']}/events",
        "resume": f"/api/v1/resumes/{resume['id']}",
    }
    assert accepted.headers["location"] == body["links"]["self"]

    done = await wait_for_analysis(client, alice, body["id"])
    assert done["status"] == "succeeded", done
    assert (done["progress"], done["attempts"], done["error"]) == (100, 1, None)
    expected = analyze_file(pdf.read_bytes(), "jane_doe.pdf", JOB, 20)
    result = done["result"]
    assert json.dumps(result, sort_keys=True) == json.dumps(
        {k: expected[k] for k in ("resume", "review", "match")}, sort_keys=True
    )
    assert result["resume"]["basics"]["name"] == "Jane Doe"
    assert result["match"] is not None

    listed = (await client.get(f"/api/v1/analyses?resume_id={resume['id']}", headers=alice)).json()
    assert [a["id"] for a in listed["items"]] == [body["id"]]


async def test_without_job_description_match_is_null(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    resume = (await upload(client, alice, RESUMES / "jane_doe.docx")).json()
    done = await wait_for_analysis(
        client, alice, (await _analyse(client, alice, resume["id"])).json()["id"]
    )
    assert done["status"] == "succeeded"
    assert done["result"]["match"] is None
    assert done["result"]["review"]["findings"]


@pytest.mark.parametrize(
    ("fixture", "error_type", "says"),
    [
        ("truncated.pdf", "corrupt_file", ""),
        ("encrypted.pdf", "encrypted_file", "password"),
        ("image_only.pdf", "no_text_layer", "OCR"),
        ("truncated.docx", "corrupt_file", ""),
        ("zip_bomb.docx", "file_too_large", ""),
    ],
)
async def test_unreadable_files_fail_with_a_reason(
    client: httpx.AsyncClient, alice: dict[str, str], fixture: str, error_type: str, says: str
) -> None:
    uploaded = await upload(client, alice, BAD / fixture)
    assert uploaded.status_code == 201, uploaded.text
    done = await wait_for_analysis(
        client, alice, (await _analyse(client, alice, uploaded.json()["id"])).json()["id"]
    )
    assert done["status"] == "failed"
    assert done["error"]["type"] == error_type
    assert says in done["error"]["message"]
    assert done["attempts"] == 1, "a file that cannot be read is not retried"
    assert done["result"] is None


async def test_analysis_past_its_time_limit_fails_once_without_retry(
    settings: Settings,
) -> None:
    quick = create_app(settings.model_copy(update={"analysis_timeout_seconds": 0.001}))
    async with quick.router.lifespan_context(quick):
        transport = httpx.ASGITransport(app=quick)
        async with httpx.AsyncClient(transport=transport, base_url="http://quick") as client:
            alice = await sign_up(client)
            resume = (await upload(client, alice, RESUMES / "jane_doe.pdf")).json()
            analysis_id = (await _analyse(client, alice, resume["id"])).json()["id"]
            done = await wait_for_analysis(client, alice, analysis_id, seconds=20)
    assert done["status"] == "failed", done
    assert done["error"]["type"] == "timeout"
    assert done["attempts"] == 1, "work that ran out of time would again: not retried"


async def test_analysis_of_missing_resume_is_404(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    response = await _analyse(client, alice, "00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404


async def test_refused_analysis_leaves_no_job_behind(
    app: FastAPI, client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str]
) -> None:
    resume = (await upload(client, alice, RESUMES / "jane_doe.txt")).json()
    refused = [
        await _analyse(client, bob, resume["id"], JOB),
        await _analyse(client, alice, "00000000-0000-0000-0000-000000000000"),
    ]
    assert [r.status_code for r in refused] == [404, 404]
    assert refused[0].json()["detail"] == "résumé not found"
    assert await scalar(app.state.engine, "SELECT count(*) FROM jobs") == 0
    assert await scalar(app.state.engine, "SELECT count(*) FROM analyses") == 0


async def test_sse_late_subscriber_gets_current_state_then_nothing_lost(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    resume = (await upload(client, alice, RESUMES / "jane_doe.txt")).json()
    analysis_id = (await _analyse(client, alice, resume["id"])).json()["id"]
    await wait_for_analysis(client, alice, analysis_id)
    headers = {**alice, "Accept": "text/event-stream"}
    async with client.stream(
        "GET", f"/api/v1/analyses/{analysis_id}/events", headers=headers
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [
            json.loads(line.removeprefix("data: "))
            async for line in response.aiter_lines()
            if line.startswith("data: ")
        ]
    assert events == [{"id": analysis_id, "status": "succeeded", "progress": 100, "stage": "done"}]


async def test_sse_follows_a_running_job_to_the_end(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    slow = create_app(settings.model_copy(update={"analysis_stage_delay_seconds": 0.2}))
    async with slow.router.lifespan_context(slow):
        transport = httpx.ASGITransport(app=slow)
        async with httpx.AsyncClient(transport=transport, base_url="http://slow") as slow_client:
            alice = await sign_up(slow_client)
            resume = (await upload(slow_client, alice, RESUMES / "jane_doe.md")).json()
            analysis_id = (await _analyse(slow_client, alice, resume["id"])).json()["id"]
            headers = {**alice, "Accept": "text/event-stream"}
            seen = []
            async with slow_client.stream(
                "GET", f"/api/v1/analyses/{analysis_id}/events", headers=headers
            ) as response:
                async for line in response.aiter_lines():
                    if line.startswith("data: "):
                        seen.append(json.loads(line.removeprefix("data: ")))
    statuses = [e["status"] for e in seen]
    assert statuses[-1] == "succeeded"
    assert "running" in statuses
    progress = [e["progress"] for e in seen]
    assert progress == sorted(progress), "progress never goes backwards"


async def test_events_without_sse_accept_is_406(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    resume = (await upload(client, alice, RESUMES / "jane_doe.txt")).json()
    analysis_id = (await _analyse(client, alice, resume["id"])).json()["id"]
    response = await client.get(f"/api/v1/analyses/{analysis_id}/events", headers=alice)
    assert response.status_code == 406


async def test_pipeline_needs_no_worker_thread(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    """Upload, create and follow an analysis while every worker thread is taken.

    FastAPI runs a plain `def` dependency on anyio's thread pool: a thread hop per request
    (two wake-ups, and a wait for a free thread when the pool is busy with slow work).
    """
    limiter = anyio.to_thread.current_default_thread_limiter()
    borrowers = [object() for _ in range(int(limiter.total_tokens))]
    for borrower in borrowers:
        await limiter.acquire_on_behalf_of(borrower)
    try:
        with anyio.fail_after(10):
            resume = (await upload(client, alice, RESUMES / "jane_doe.txt")).json()
            analysis_id = (await _analyse(client, alice, resume["id"])).json()["id"]
            headers = {**alice, "Accept": "text/event-stream"}
            async with client.stream(
                "GET", f"/api/v1/analyses/{analysis_id}/events", headers=headers
            ) as response:
                statuses = [
                    json.loads(line.removeprefix("data: "))["status"]
                    async for line in response.aiter_lines()
                    if line.startswith("data: ")
                ]
    finally:
        for borrower in borrowers:
            limiter.release_on_behalf_of(borrower)
    assert statuses[-1] == "succeeded"
