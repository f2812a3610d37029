"""`cvlens analyze`: read the inputs, run the pipeline, render JSON or a Rich text report.

Rendering is presentation, so it lives outside the pure `analysis` package.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cvlens.analysis.pipeline import AnalysisResult, analyze_bytes

SEVERITY_STYLE = {"critical": "bold red", "warning": "yellow", "info": "cyan"}
STATUS_STYLE = {"matched": "green", "partial": "yellow", "missing": "red"}
REPORT_WIDTH = 100


class InputError(Exception):
    """A file named on the command line cannot be read or understood."""


def read_job(path: Path) -> str | dict[str, Any]:
    """A job as plain text, or as a JSON Resume `job` record when the file holds JSON."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read job file {path}: {err}") from err
    if path.suffix.lower() == ".json":
        try:
            record = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(f"job file {path} is not valid JSON: {err}") from err
        if not isinstance(record, dict):
            raise InputError(f"job file {path} must hold a JSON object (a JSON Resume job)")
        return record
    return text


def run_analysis(file: Path, job_file: Path | None, *, max_pages: int = 20) -> AnalysisResult:
    try:
        data = file.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {file}: {err.strerror or err}") from err
    job = read_job(job_file) if job_file is not None else None
    return analyze_bytes(data, file.name, job, max_pages=max_pages)


def render_json(result: AnalysisResult) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def render_text(result: AnalysisResult, *, color: bool) -> str:
    console = Console(
        width=REPORT_WIDTH,
        record=True,
        force_terminal=color,
        no_color=not color,
        file=io.StringIO(),
    )
    console.print(_report(result))
    return console.export_text(styles=color)


def _report(result: AnalysisResult) -> Group:
    basics = result.resume.basics
    doc = result.document.summary()
    title = Text(basics.name or "Unnamed résumé", style="bold")
    if basics.label:
        title.append(f" — {basics.label}")
    header = Text(
        f"{doc['format']} · {doc['pages']} page(s) · {doc['words']} words · "
        f"{doc['columns']} column(s) · text layer: {'yes' if doc['has_text_layer'] else 'no'}"
    )
    parts: list[Any] = [Panel(Group(title, header), title="CVLens review")]
    parts.append(_scores(result))
    parts.append(_findings(result))
    parts.append(_sections(result))
    if result.match is not None:
        parts.append(_match(result))
    return Group(*parts)


def _scores(result: AnalysisResult) -> Table:
    table = Table(title=f"Overall score: {result.review.score}/100", title_justify="left")
    table.add_column("dimension")
    table.add_column("score", justify="right")
    table.add_column("weight", justify="right")
    for dim in result.review.dimensions:
        table.add_row(dim.name, str(dim.score), f"{dim.weight:.0%}")
    return table


def _findings(result: AnalysisResult) -> Table | Text:
    if not result.review.findings:
        return Text("No findings: nothing to fix.", style="green")
    table = Table(title="Findings (most severe first)", title_justify="left", show_lines=True)
    table.add_column("severity")
    table.add_column("finding", ratio=3)
    table.add_column("fix", ratio=2)
    for finding in result.review.findings:
        where = finding.evidence.section
        body = Text(finding.message)
        if finding.evidence.line:
            body.append(f"\n{where}: “{finding.evidence.line.strip()[:160]}”", style="dim")
        style = SEVERITY_STYLE[finding.severity]
        table.add_row(Text(finding.severity, style=style), body, finding.fix)
    return table


def _sections(result: AnalysisResult) -> Table:
    resume = result.resume
    table = Table(title="What was read", title_justify="left")
    table.add_column("section")
    table.add_column("entries", justify="right")
    table.add_column("first entry")
    rows = [
        ("work", len(resume.work), resume.work[0].position or resume.work[0].name)
        if resume.work
        else ("work", 0, None),
        ("education", len(resume.education), resume.education[0].institution)
        if resume.education
        else ("education", 0, None),
        (
            "skills",
            sum(len(s.keywords) or 1 for s in resume.skills),
            ", ".join(k for s in resume.skills for k in (s.keywords or [s.name or ""]))[:70]
            or None,
        ),
        ("projects", len(resume.projects), resume.projects[0].name if resume.projects else None),
    ]
    for name, count, first in rows:
        table.add_row(name, str(count), first or "—")
    return table


def _match(result: AnalysisResult) -> Group:
    match = result.match
    assert match is not None
    table = Table(title=f"Job match: {match.score}/100", title_justify="left")
    table.add_column("requirement")
    table.add_column("kind")
    table.add_column("status")
    table.add_column("evidence / detail", ratio=2)
    for item in [*match.matched, *match.partial, *match.missing]:
        note = item.detail or ""
        if item.evidence and item.evidence.line:
            note = f"{note + ' · ' if note else ''}{item.evidence.line.strip()[:80]}"
        table.add_row(
            item.requirement,
            f"{item.kind} ({item.importance})",
            Text(item.status, style=STATUS_STYLE[item.status]),
            note,
        )
    explanation = Text("\n".join(match.explanation), style="dim")
    return Group(table, explanation)
