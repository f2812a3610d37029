"""Benchmark: `cutover copy` + `cutover verify` of a generated legacy SQLite table into
PostgreSQL, against `psql \\copy` of the same rows from CSV, measured in the same run.

    .venv/bin/python bench/datacopy.py [--rows 1000000] [--repeats 3] [--jobs 2]

Prints the median seconds and rows/s of each side and the ratio
(cutover copy+verify rows/s) / (\\copy rows/s). The CSV export is not timed; both sides
load into a fresh table with the same types and primary key.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from cutover.datacopy import CopyOptions, copy_data, verify_data
from cutover.datacopy.copier import DEFAULT_JOBS
from cutover.datacopy.plan import parse_plan

DSN = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
COLUMNS = "id, name, email, score, amount, active, created_at, note"
TARGET_DDL = """
CREATE TABLE people (
    id bigint PRIMARY KEY, name text, email text, score double precision, amount bigint,
    active boolean, created_at timestamptz, note text
)
"""


def make_source(path: Path, rows: int) -> None:
    rng = random.Random(7)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, email TEXT, score REAL,"
        " amount INTEGER, active INTEGER, created_at TEXT, note TEXT)"
    )
    conn.executemany(
        "INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                i,
                f"Person {i}",
                f"person{i}@example.com",
                round(rng.random() * 100, 3),
                rng.randint(0, 10**9),
                i % 2,
                (start + timedelta(seconds=i * 17)).isoformat(),
                "lorem ipsum dolor sit amet " * rng.randint(0, 3),
            )
            for i in range(1, rows + 1)
        ),
    )
    conn.commit()
    conn.close()


def export_csv(source: Path, path: Path) -> None:
    conn = sqlite3.connect(source)
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerows(conn.execute(f"SELECT {COLUMNS} FROM people ORDER BY id"))
    conn.close()


def fresh_table(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS people, cutover_checkpoints")
        conn.execute(TARGET_DDL)


def time_psql_copy(url: str, csv_path: Path, rows: int) -> float:
    fresh_table(url)
    command = f"\\copy people ({COLUMNS}) FROM '{csv_path}' WITH (FORMAT csv)"
    started = time.perf_counter()
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", command], check=True)
    seconds = time.perf_counter() - started
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM people").fetchone() == (rows,)
    return seconds


def time_cutover(
    source: str, url: str, rows: int, batch: int, workdir: Path, jobs: int
) -> tuple[float, float]:
    fresh_table(url)
    plan = parse_plan({"batch_size": batch, "tables": [{"source": "people", "key": "id"}]})
    started = time.perf_counter()
    options = CopyOptions(rejects_path=workdir / "rejects.jsonl", jobs=jobs)
    (stats,) = copy_data(plan, source, url, options)
    copied = time.perf_counter()
    (result,) = verify_data(plan, source, url)
    verified = time.perf_counter()
    assert stats.written == rows and result.ok and result.target_rows == rows, (stats, result)
    return copied - started, verified - copied


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=20_000)
    parser.add_argument(
        "--jobs", type=int, default=DEFAULT_JOBS, help="copy worker processes (cutover copy --jobs)"
    )
    args = parser.parse_args()
    load_at_start = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    schema = f"bench_datacopy_{os.getpid()}"
    with psycopg.connect(DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{DSN}?options=-csearch_path%3D{schema}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            source_path, csv_path = workdir / "legacy.sqlite3", workdir / "people.csv"
            make_source(source_path, args.rows)
            export_csv(source_path, csv_path)
            psql_times, copy_times, verify_times = [], [], []
            for run in range(1, args.repeats + 1):
                psql_times.append(time_psql_copy(url, csv_path, args.rows))
                c, v = time_cutover(
                    f"sqlite:///{source_path}", url, args.rows, args.batch_size, workdir, args.jobs
                )
                copy_times.append(c)
                verify_times.append(v)
                print(
                    f"run {run}: \\copy {psql_times[-1]:.2f}s | cutover copy {c:.2f}s"
                    f" + verify {v:.2f}s = {c + v:.2f}s",
                    file=sys.stderr,
                )
    finally:
        with psycopg.connect(DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    psql = statistics.median(psql_times)
    totals = [c + v for c, v in zip(copy_times, verify_times, strict=True)]
    total = statistics.median(totals)
    copy_only = statistics.median(copy_times)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"rows: {args.rows:,}  repeats: {args.repeats}  batch: {args.batch_size:,}"
        f"  copy jobs: {args.jobs}"
    )
    print(
        f"cpus: {os.cpu_count()}  load average (1/5/15 min) at the start: {load_at_start},"
        f" at the end: {load}"
    )
    print(f"psql \\copy (CSV)          median {psql:7.2f}s  {args.rows / psql:12,.0f} rows/s")
    print(
        f"cutover copy              median {copy_only:7.2f}s  {args.rows / copy_only:12,.0f} rows/s"
    )
    print(f"cutover verify            median {statistics.median(verify_times):7.2f}s")
    print(f"cutover copy + verify     median {total:7.2f}s  {args.rows / total:12,.0f} rows/s")
    print(f"ratio (copy+verify) / \\copy rows/s: {psql / total:.2f}  (target >= 0.5)")


if __name__ == "__main__":
    main()
