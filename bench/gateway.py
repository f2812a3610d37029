"""Gateway throughput and latency: direct vs cutover (each upstream client) vs nginx.

The same upstream (uvicorn + uvloop + httptools, a 1 KB JSON answer) is measured
directly, through cutover and through nginx, with the same load generator (wrk, 32
connections, 2 threads) in one run; each target is measured several times in turns and
the median is printed, with the ratio cutover/nginx and the p50 cutover adds.

    .venv/bin/python bench/gateway.py [--runs 5] [--duration 5] [--workers 1]
        [--baseline-src DIR/src]   # another commit's cutover in the same run

Needs `wrk` and `nginx` on PATH (Debian: apt-get install -y wrk nginx).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
PAYLOAD = orjson.dumps({"items": [{"id": i, "name": f"item-{i:04d}"} for i in range(37)]})


async def upstream_app(
    scope: MutableMapping[str, Any],
    receive: Callable[[], Awaitable[Any]],
    send: Callable[[Any], Awaitable[None]],
) -> None:
    """A 1 KB JSON answer, as cheap as uvicorn can serve it."""
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(PAYLOAD)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": PAYLOAD})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def wait_for(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not start on port {port}")


def start_upstream(port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "uvicorn", "bench.gateway:upstream_app",
        "--host", "127.0.0.1", "--port", str(port),
        "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT)


def start_cutover(
    port: int, upstream: int, client: str, workers: int, tmp: Path, source: Path | None = None
) -> subprocess.Popen[bytes]:
    """cutover from this checkout, or from the `src/` directory `source` (another commit)."""
    config = tmp / f"cutover-{client}-{port}.yaml"
    url = f"http://127.0.0.1:{upstream}"
    state = f"state: {{backend: sqlite, path: '{tmp / 'state.sqlite3'}'}}\n" if workers > 1 else ""
    config.write_text(
        f"legacy: {{url: '{url}', client: {client}}}\n"
        f"new: {{url: '{url}', client: {client}}}\n"
        "routes: [{name: api, path: '/{rest:path}', mode: legacy}]\n" + state
    )
    binary = Path(sys.executable).parent / "cutover"
    command = [str(binary), "serve", "--config", str(config), "--port", str(port)]
    command += ["--workers", str(workers)]
    env = dict(os.environ)
    if source is not None:  # ahead of this checkout's editable install on sys.path
        env["PYTHONPATH"] = str(source.resolve())
    return subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)


def start_nginx(port: int, upstream: int, workers: int, tmp: Path) -> subprocess.Popen[bytes]:
    prefix = tmp / "nginx"
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"""
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  upstream app {{ server 127.0.0.1:{upstream}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }}
  }}
}}
"""
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
    return subprocess.Popen(command, stderr=subprocess.DEVNULL)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if match is None:
        raise ValueError(text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its direct children (nginx/uvicorn workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                pids.append(int(entry.name))
    total = 0.0
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def children_cpu_seconds() -> float:
    """User + system CPU of the finished child processes (the wrk runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wrk(url: str, duration: float, connections: int) -> dict[str, float]:
    wrk_binary = shutil.which("wrk") or "/usr/bin/wrk"
    output = subprocess.run(
        [
            wrk_binary,
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--latency",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} failed responses\n{output}")
    return {"rps": rps, "p50": p50, "p99": p99, "requests": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1, help="cutover and nginx workers")
    parser.add_argument("--skip-httpx", action="store_true")
    parser.add_argument("--skip-aiohttp", action="store_true")
    parser.add_argument(
        "--baseline-src",
        type=Path,
        help="also measure, in the same run, the cutover of another commit's src/ directory "
        "(git archive COMMIT src | tar -x -C DIR; pass DIR/src), as cutover-baseline",
    )
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="cutover-bench-"))
    names = ("upstream", "httptools", "aiohttp", "httpx", "nginx", "baseline")
    ports = {name: free_port() for name in names}
    processes = [start_upstream(ports["upstream"])]
    wait_for(ports["upstream"], processes[0], "upstream")
    targets = {"direct": ports["upstream"]}
    pids = {"direct": processes[0].pid}
    try:
        nginx = start_nginx(ports["nginx"], ports["upstream"], args.workers, tmp)
        processes.append(nginx)
        wait_for(ports["nginx"], nginx, "nginx")
        targets["nginx"] = ports["nginx"]
        pids["nginx"] = nginx.pid
        clients = ["httptools"]
        clients += [] if args.skip_aiohttp else ["aiohttp"]
        clients += [] if args.skip_httpx else ["httpx"]
        for client in clients:
            process = start_cutover(ports[client], ports["upstream"], client, args.workers, tmp)
            processes.append(process)
            wait_for(ports[client], process, f"cutover ({client})")
            targets[f"cutover-{client}"] = ports[client]
            pids[f"cutover-{client}"] = process.pid
        if args.baseline_src is not None:
            process = start_cutover(
                ports["baseline"], ports["upstream"], "httptools", args.workers, tmp,
                args.baseline_src,
            )  # fmt: skip
            processes.append(process)
            wait_for(ports["baseline"], process, "cutover (baseline)")
            targets["cutover-baseline"] = ports["baseline"]
            pids["cutover-baseline"] = process.pid
        path = "/api/items"
        for port in targets.values():  # warm up pools and caches
            wrk(f"http://127.0.0.1:{port}{path}", 1, args.connections)
        results: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
        single: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
        for _ in range(args.runs):
            for name, port in targets.items():
                url = f"http://127.0.0.1:{port}{path}"
                # the httpx gateway is ~20x slower: a shorter run is plenty to measure it
                duration = args.duration / 2 if name == "cutover-httpx" else args.duration
                before, client_before = cpu_seconds(pids[name]), children_cpu_seconds()
                run = wrk(url, duration, args.connections)
                # CPU per request is robust to other load on the machine, unlike req/s
                run["cpu_us"] = (cpu_seconds(pids[name]) - before) / run["requests"] * 1e6
                # the client's share: fewer, fuller segments per answer cost wrk less too
                client_cpu = children_cpu_seconds() - client_before
                run["wrk_us"] = client_cpu / run["requests"] * 1e6
                results[name].append(run)
                # one connection: latency without queueing behind 31 other requests
                single[name].append(wrk(url, max(1.0, duration / 2), 1))
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    medians = {
        name: {
            key: statistics.median(run[key] for run in runs)
            for key in ("rps", "p50", "p99", "cpu_us", "wrk_us")
        }
        for name, runs in results.items()
    }
    unloaded = {
        name: statistics.median(run["p50"] for run in runs) for name, runs in single.items()
    }
    print(
        f"wrk -t2 -c{args.connections} -d{args.duration:g}s, {len(PAYLOAD)} B JSON, "
        f"median of {args.runs} runs, workers={args.workers}, cpus={os.cpu_count()}, "
        f"load average {load_before:.2f} -> {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'target':16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'p50 ms @1 conn':>15} "
        f"{'CPU us/req':>11} {'wrk us/req':>11}"
    )
    for name, figures in medians.items():
        print(
            f"{name:16} {figures['rps']:9.0f} {figures['p50']:8.2f} {figures['p99']:8.2f} "
            f"{unloaded[name]:15.2f} {figures['cpu_us']:11.0f} {figures['wrk_us']:11.0f}"
        )
    print(
        "(CPU us/req: the proxy process alone for nginx/cutover, the upstream for direct; "
        "wrk us/req: the load generator's own CPU)"
    )
    direct, nginx_figures = medians["direct"], medians["nginx"]
    for client in [name for name in medians if name.startswith("cutover-")]:
        figures = medians[client]
        print(
            f"{client}: {figures['rps'] / nginx_figures['rps']:.2f}x nginx throughput, "
            f"{figures['rps'] / direct['rps']:.2f}x direct, "
            f"added p50 {figures['p50'] - direct['p50']:+.2f} ms vs direct "
            f"({figures['p50'] - nginx_figures['p50']:+.2f} ms vs nginx); "
            f"added p50 at 1 connection {unloaded[client] - unloaded['direct']:+.2f} ms"
        )
    if "cutover-baseline" in medians:
        now, then = medians["cutover-httptools"], medians["cutover-baseline"]
        print(
            f"this checkout / baseline: {now['rps'] / then['rps']:.2f}x throughput, "
            f"{now['cpu_us'] / then['cpu_us']:.2f}x CPU per request"
        )
    for slower in ("cutover-aiohttp", "cutover-httpx"):
        if slower in medians:
            ratio = medians["cutover-httptools"]["rps"] / medians[slower]["rps"]
            print(f"httptools client / {slower.split('-')[1]} client throughput: {ratio:.1f}x")


if __name__ == "__main__":
    main()
