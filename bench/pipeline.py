"""Service overhead of the upload → analysis pipeline, and throughput with real brokers.

    .venv/bin/python bench/pipeline.py [--runs 30] [--jobs 60] [--skip-brokers] [--client aiohttp]

1. Embedded default: `cvlens serve` (SQLite, local files, in-process jobs) in a fresh
   folder. For each run a distinct résumé is uploaded, an analysis created and its SSE
   stream followed to `succeeded`, all over loopback HTTP. The engine's own time for the
   same bytes (`analyze_file`, in this process) is measured right before each run, so both
   see the same machine load; the service overhead is the pipeline latency minus the
   engine time, at p50 and p95.
2. Throughput: `--jobs` analyses submitted at once, finished per second, for the embedded
   default and for one API with two `cvlens worker` processes on RabbitMQ (PostgreSQL,
   Redis for events), in the same run.

Per step, the medians of: upload answered, analysis created, first SSE event, `succeeded`
(each from the start of the upload). `--client aiohttp` runs the same requests with
aiohttp instead of httpx: the client shares the machine's two cores with the server, and
httpx spends several milliseconds of CPU per pipeline, so both figures are worth reporting.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import httpx

from cvlens.features.analyses.engine import analyze_file

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAMPLE = REPO / "tests" / "fixtures" / "resumes" / "jane_doe.pdf"
JOB = "Senior backend engineer: Python, PostgreSQL, Docker, Kubernetes, AWS; 5+ years."
PASSWORD = "bench-password-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def variant(data: bytes, n: int) -> bytes:
    """The same PDF with a distinct trailing comment, so uploads are not deduplicated."""
    return data + f"\n%bench-{n}-{uuid.uuid4().hex}\n".encode()


@contextmanager
def processes(
    *commands: tuple[list[str], dict[str, str], Path],
) -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    try:
        for argv, env, cwd in commands:
            log = (cwd / f"{Path(argv[0]).name}-{len(started)}.log").open("wb")
            started.append(subprocess.Popen(argv, env=env, cwd=cwd, stdout=log, stderr=log))
        yield started
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def base_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CVLENS_")}
    env.update({"CVLENS_LOG_LEVEL": "WARNING", "CVLENS_RATE_LIMIT_REGISTER": "1000/minute"})
    env.update({f"CVLENS_{k.upper()}": v for k, v in values.items()})
    return env


async def wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(1200):
            try:
                if (await client.get("/health/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{base} did not become ready")


async def sign_up(client: httpx.AsyncClient) -> dict[str, str]:
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    r = await client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    r.raise_for_status()
    t = await client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    t.raise_for_status()
    return {"Authorization": f"Bearer {t.json()['access_token']}"}


STEPS = ("uploaded", "created", "first event", "succeeded")


def _finished(line: str, analysis_id: str) -> bool:
    """Whether an SSE line is the final event (raises if the analysis failed)."""
    if not line.startswith("data: "):
        return False
    status = json.loads(line[6:])["status"]
    if status == "failed":
        raise RuntimeError(f"analysis {analysis_id} failed")
    return bool(status == "succeeded")


async def one_analysis(client: httpx.AsyncClient, user: dict[str, str], data: bytes) -> float:
    """Seconds from the start of the upload to the `succeeded` event."""
    return (await analysis_steps(client, user, data))[-1]


async def analysis_steps(
    client: httpx.AsyncClient, user: dict[str, str], data: bytes
) -> list[float]:
    """Seconds from the start of the upload to the end of each of `STEPS`."""
    started = time.perf_counter()
    marks = []
    files = {"file": ("resume.pdf", data, "application/pdf")}
    resume = (await client.post("/api/v1/resumes", files=files, headers=user)).json()
    marks.append(time.perf_counter())
    created = await client.post(
        "/api/v1/analyses",
        json={"resume_id": resume["id"], "job_description": JOB},
        headers=user,
    )
    marks.append(time.perf_counter())
    analysis_id = created.json()["id"]
    headers = {**user, "Accept": "text/event-stream"}
    async with client.stream(
        "GET", f"/api/v1/analyses/{analysis_id}/events", headers=headers
    ) as stream:
        async for line in stream.aiter_lines():
            if line.startswith("data: ") and len(marks) == 2:
                marks.append(time.perf_counter())
            if _finished(line, analysis_id):
                break
    marks.append(time.perf_counter())
    return [mark - started for mark in marks]


async def analysis_steps_aiohttp(
    session: aiohttp.ClientSession, user: dict[str, str], data: bytes
) -> list[float]:
    """`analysis_steps` with aiohttp as the client."""
    started = time.perf_counter()
    marks = []
    form = aiohttp.FormData()
    form.add_field("file", data, filename="resume.pdf", content_type="application/pdf")
    async with session.post("/api/v1/resumes", data=form, headers=user) as response:
        resume = await response.json()
    marks.append(time.perf_counter())
    body = {"resume_id": resume["id"], "job_description": JOB}
    async with session.post("/api/v1/analyses", json=body, headers=user) as response:
        analysis_id = (await response.json())["id"]
    marks.append(time.perf_counter())
    headers = {**user, "Accept": "text/event-stream"}
    async with session.get(f"/api/v1/analyses/{analysis_id}/events", headers=headers) as stream:
        async for raw in stream.content:
            line = raw.decode().rstrip("\r\n")
            if line.startswith("data: ") and len(marks) == 2:
                marks.append(time.perf_counter())
            if _finished(line, analysis_id):
                break
    marks.append(time.perf_counter())
    return [mark - started for mark in marks]


async def latency(
    base: str, runs: int, data: bytes, client_kind: str, server_pid: int
) -> tuple[list[list[float]], list[float], float | None]:
    """Per run, the seconds to the end of each of `STEPS`; the engine's time per run; and
    the server process's CPU seconds per run (None without /proc).

    The engine runs on the same bytes in this process right before each pipeline run, so
    both see the same load on a shared machine (the server is idle meanwhile).
    """
    samples = [variant(data, n) for n in range(runs)]
    engine_time(data)  # warm-up
    steps: list[list[float]] = []
    engine: list[float] = []
    if client_kind == "aiohttp":
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            user = await sign_up(client)
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(base_url=base, timeout=timeout) as session:
            await analysis_steps_aiohttp(session, user, variant(data, -1))  # warm-up
            cpu_before = cpu_seconds(server_pid)
            for sample in samples:
                engine.append(engine_time(sample))
                steps.append(await analysis_steps_aiohttp(session, user, sample))
    else:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            user = await sign_up(client)
            await one_analysis(client, user, variant(data, -1))  # warm-up
            cpu_before = cpu_seconds(server_pid)
            for sample in samples:
                engine.append(engine_time(sample))
                steps.append(await analysis_steps(client, user, sample))
    cpu_after = cpu_seconds(server_pid)
    if cpu_before is None or cpu_after is None:
        return steps, engine, None
    return steps, engine, (cpu_after - cpu_before) / runs


async def throughput(base: str, jobs: int, data: bytes) -> float:
    async with httpx.AsyncClient(base_url=base, timeout=300) as client:
        user = await sign_up(client)
        await one_analysis(client, user, variant(data, -1))
        started = time.perf_counter()
        await asyncio.gather(*(one_analysis(client, user, variant(data, n)) for n in range(jobs)))
        return jobs / (time.perf_counter() - started)


def engine_time(sample: bytes) -> float:
    started = time.perf_counter()
    analyze_file(sample, "resume.pdf", JOB, 20)
    return time.perf_counter() - started


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (all its threads, not its children), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def embedded(
    args: argparse.Namespace, data: bytes, work: Path
) -> tuple[list[list[float]], list[float], float, float | None]:
    """Per-run steps, engine times, throughput, and the API process's CPU per pipeline.

    The CPU figure counts the server's own process (event loop, database threads), not the
    pool processes running the engine; unlike latency it hardly moves with the load that
    other programs put on the machine.
    """
    folder = work / "embedded"
    folder.mkdir()
    env = base_env(worker_concurrency="2")
    subprocess.run([BIN / "cvlens", "db", "upgrade"], env=env, cwd=folder, check=True)
    port = free_port()
    serve = ([str(BIN / "cvlens"), "serve", "--port", str(port)], env, folder)
    with processes(serve) as (server,):
        base = f"http://127.0.0.1:{port}"
        asyncio.run(wait_ready(base))
        steps, engine, cpu = asyncio.run(latency(base, args.runs, data, args.client, server.pid))
        rate = asyncio.run(throughput(base, args.jobs, data))
    return steps, engine, rate, cpu


def scale_out(args: argparse.Namespace, data: bytes, work: Path) -> float:
    import psycopg

    folder = work / "scale"
    folder.mkdir()
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    env = base_env(
        env="test",
        secret_key="bench-secret-key-0123456789abcdef",
        database_url="postgresql+asyncpg://postgres@127.0.0.1:5432/test",
        database_schema=schema,
        broker_url="amqp://guest:guest@127.0.0.1:5672/",
        broker_queue=f"cvlens.bench.{schema}",
        redis_url="redis://127.0.0.1:6379/0",
        redis_key_prefix=f"{schema}:",
        storage_url=f"file://{folder / 'blobs'}",
        worker_concurrency="1",
    )
    try:
        upgrade = [str(BIN / "python"), "-c", UPGRADE_WITH_SCHEMA, schema]
        subprocess.run(upgrade, env=env, cwd=REPO, check=True)
        port = free_port()
        serve = ([str(BIN / "cvlens"), "serve", "--port", str(port)], env, folder)
        worker = ([str(BIN / "cvlens"), "worker"], env, folder)
        with processes(serve, worker, worker):
            base = f"http://127.0.0.1:{port}"
            asyncio.run(wait_ready(base))
            return asyncio.run(throughput(base, args.jobs, data))
    finally:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


UPGRADE_WITH_SCHEMA = """
import sys
from alembic import command
from sqlalchemy import create_engine
from cvlens.platform.migrations import alembic_config
engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test",
                       connect_args={"options": f"-csearch_path={sys.argv[1]}"})
with engine.begin() as connection:
    command.upgrade(alembic_config(connection=connection), "head")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=60)
    parser.add_argument("--file", type=Path, default=SAMPLE)
    parser.add_argument("--skip-brokers", action="store_true")
    parser.add_argument("--client", choices=("httpx", "aiohttp"), default="httpx")
    args = parser.parse_args()
    data = args.file.read_bytes()
    work = Path(tempfile.mkdtemp(prefix="cvlens-bench-"))
    try:
        steps, engine, embedded_rate, server_cpu = embedded(args, data, work)
        lat = [run[-1] for run in steps]
        engine_p50 = statistics.median(engine)
        print(
            f"file: {args.file.name} ({len(data)} bytes), runs: {args.runs}, client: "
            f"{args.client}, load: {os.getloadavg()[0]:.1f}"
        )
        print(
            "steps, p50 from the upload's start: "
            + ", ".join(
                f"{name} {statistics.median(run[i] for run in steps) * 1000:.1f} ms"
                for i, name in enumerate(STEPS)
            )
        )
        print(
            f"engine alone         p50 {engine_p50 * 1000:7.1f} ms  p95 "
            f"{pct(engine, 0.95) * 1000:7.1f} ms"
        )
        print(
            f"upload → succeeded   p50 {statistics.median(lat) * 1000:7.1f} ms  p95 "
            f"{pct(lat, 0.95) * 1000:7.1f} ms"
        )
        print(
            f"service overhead     p50 {(statistics.median(lat) - engine_p50) * 1000:7.1f} ms"
            f"  p95 {(pct(lat, 0.95) - pct(engine, 0.95)) * 1000:7.1f} ms"
        )
        if server_cpu is not None:
            print(f"API process CPU per pipeline: {server_cpu * 1000:.1f} ms (engine excluded)")
        print(f"throughput, embedded (2 pool processes): {embedded_rate:6.1f} analyses/s")
        if not args.skip_brokers:
            rate = scale_out(args, data, work)
            print(
                f"throughput, RabbitMQ + 2 workers:        {rate:6.1f} analyses/s "
                f"({rate / embedded_rate:.2f}× embedded)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
