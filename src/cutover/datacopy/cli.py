"""The `cutover copy` and `cutover verify` commands (registered in cutover.cli)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console

from cutover.datacopy.copier import DEFAULT_JOBS as DEFAULT_COPY_JOBS
from cutover.datacopy.copier import MIN_ROWS_PER_JOB, CopyOptions, copy_data
from cutover.datacopy.errors import DataCopyError
from cutover.datacopy.plan import load_plan
from cutover.datacopy.report import RichCopyObserver, copy_summary, differing_keys, verify_summary
from cutover.datacopy.verify import DEFAULT_JOBS, verify_data

SourceOpt = Annotated[str, typer.Option("--source", help="sqlite:///path or postgresql://…")]
TargetOpt = Annotated[str, typer.Option("--target", help="sqlite:///path or postgresql://…")]
PlanOpt = Annotated[Path, typer.Option("--plan", help="YAML plan (see docs/datacopy.md)")]
TablesOpt = Annotated[
    list[str] | None, typer.Option("--table", help="only this table (repeatable)")
]
BatchOpt = Annotated[int | None, typer.Option("--batch-size", min=1, help="rows per batch")]


def copy_command(
    source: SourceOpt,
    target: TargetOpt,
    plan: PlanOpt,
    batch_size: BatchOpt = None,
    rejects: Annotated[
        Path, typer.Option("--rejects", help="JSONL file of rows that could not be transformed")
    ] = Path("cutover-rejects.jsonl"),
    stop_on_error: Annotated[
        bool, typer.Option("--stop-on-error", help="stop at the first rejected row")
    ] = False,
    delta: Annotated[
        bool, typer.Option("--delta", help="require a previous run and copy only what changed")
    ] = False,
    restart: Annotated[
        bool, typer.Option("--restart", help="ignore checkpoints and copy every row again")
    ] = False,
    table: TablesOpt = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
    jobs: Annotated[
        int,
        typer.Option("--jobs", min=1, help="worker processes copying a large table's key ranges"),
    ] = DEFAULT_COPY_JOBS,
    min_rows_per_job: Annotated[
        int,
        typer.Option("--min-rows-per-job", min=1, help="split a table only past jobs x this"),
    ] = MIN_ROWS_PER_JOB,
) -> None:
    """Copy the plan's tables from SOURCE to TARGET in key batches (resumable, idempotent)."""
    console = Console(stderr=True)
    options = CopyOptions(
        batch_size=batch_size,
        stop_on_error=stop_on_error,
        rejects_path=rejects,
        restart=restart,
        delta=delta,
        tables=table,
        jobs=jobs,
        min_rows_per_job=min_rows_per_job,
    )
    try:
        with RichCopyObserver(console, enabled=progress) as observer:
            stats = copy_data(load_plan(plan), source, target, options, observer)
    except DataCopyError as exc:
        console.print(f"[red]cutover copy: {exc}[/red]")
        raise typer.Exit(1) from exc
    Console().print(copy_summary(stats))
    rejected = sum(s.rejected for s in stats)
    if rejected:
        console.print(f"[yellow]{rejected} row(s) rejected: see {rejects}[/yellow]")


def verify_command(
    source: SourceOpt,
    target: TargetOpt,
    plan: PlanOpt,
    batch_size: BatchOpt = None,
    sample: Annotated[int, typer.Option("--sample", min=0, help="differing keys to list")] = 10,
    table: TablesOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", min=1, help="worker processes for a large table")
    ] = DEFAULT_JOBS,
    digest: Annotated[
        str,
        typer.Option(
            "--digest",
            help="rows: compare rows in Python (default); server: PostgreSQL digests key"
            " ranges itself (less data on the wire, more CPU)",
        ),
    ] = "rows",
    source_digests: Annotated[
        str,
        typer.Option(
            "--source-digests",
            help="recorded: take a key range's source side from the digest copy recorded"
            " when the range still holds as many rows (and the same largest"
            " updated_column); read: read and transform the whole source again",
        ),
    ] = "recorded",
) -> None:
    """Compare row counts and checksums of the transformed SOURCE rows with TARGET.

    Exit code 0 when every table matches, 1 on any difference, 2 on an error.
    """
    console = Console(stderr=True)
    try:
        results = verify_data(
            load_plan(plan),
            source,
            target,
            batch_size=batch_size,
            sample_size=sample,
            tables=table,
            jobs=jobs,
            digest=digest,
            source_digests=source_digests,
        )
    except DataCopyError as exc:
        console.print(f"[red]cutover verify: {exc}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        payload = [
            {
                "table": r.name,
                "ok": r.ok,
                "source_rows": r.source_rows,
                "target_rows": r.target_rows,
                "source_checksum": f"{r.source_checksum:032x}",
                "target_checksum": f"{r.target_checksum:032x}",
                "differing": r.differing,
                "samples": [{"key": list(k), "why": why} for k, why in r.samples],
            }
            for r in results
        ]
        typer.echo(orjson.dumps(payload, default=str, option=orjson.OPT_INDENT_2).decode())
    else:
        out = Console()
        out.print(verify_summary(results))
        keys = differing_keys(results)
        if keys is not None:
            out.print(keys)
    if not all(r.ok for r in results):
        raise typer.Exit(1)
