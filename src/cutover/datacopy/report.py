"""Rich progress bars per table and the summary tables of copy and verify."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from cutover.datacopy.copier import TableCopyStats
from cutover.datacopy.verifier import TableVerification


class RichCopyObserver:
    """A progress bar per table (rows read of the estimated total)."""

    def __init__(self, console: Console, enabled: bool = True) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console,
            disable=not enabled,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichCopyObserver:
        self.progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.progress.stop()

    def table_started(self, name: str, total: int | None) -> None:
        self.tasks[name] = self.progress.add_task(name, total=total, rate="")

    def batch_done(self, name: str, read: int) -> None:
        task = self.tasks[name]
        self.progress.advance(task, read)
        speed = self.progress.tasks[task].speed
        self.progress.update(task, rate=f"{speed:,.0f} rows/s" if speed else "")

    def table_done(self, stats: TableCopyStats) -> None:
        task = self.tasks[stats.name]
        self.progress.update(task, total=self.progress.tasks[task].completed)


def copy_summary(stats: list[TableCopyStats]) -> Table:
    table = Table(title="cutover copy")
    for column in ("table", "run", "read", "written", "rejected", "seconds", "rows/s"):
        table.add_column(column, justify="left" if column in ("table", "run") else "right")
    for s in stats:
        table.add_row(
            s.name,
            "delta" if s.delta else "full",
            f"{s.read:,}",
            f"{s.written:,}",
            f"[red]{s.rejected:,}[/red]" if s.rejected else "0",
            f"{s.seconds:.2f}",
            f"{s.rows_per_second:,.0f}",
        )
    return table


def verify_summary(results: list[TableVerification]) -> Table:
    table = Table(title="cutover verify")
    for column in (
        "table",
        "source rows",
        "target rows",
        "source checksum",
        "target checksum",
        "status",
    ):
        table.add_column(column)
    for r in results:
        table.add_row(
            r.name,
            f"{r.source_rows:,}",
            f"{r.target_rows:,}",
            f"{r.source_checksum:032x}",
            f"{r.target_checksum:032x}",
            "[green]ok[/green]" if r.ok else f"[red]{r.differing:,} differ[/red]",
        )
    return table


def differing_keys(results: list[TableVerification]) -> Table | None:
    rows = [(r.name, key, why) for r in results for key, why in r.samples]
    if not rows:
        return None
    table = Table(title="sample keys that differ")
    for column in ("table", "key", "why"):
        table.add_column(column)
    for name, key, why in rows:
        table.add_row(name, ", ".join(map(str, key)), why)
    return table
