"""The `cvlens` command line."""

from __future__ import annotations

import enum
import sys
from pathlib import Path

import typer

from cvlens import __version__


class OutputFormat(enum.StrEnum):
    text = "text"
    json = "json"


app = typer.Typer(help="CVLens: résumé intelligence backend.", no_args_is_help=True)


@app.command()
def version() -> None:
    """Print the CVLens version."""
    typer.echo(__version__)


@app.command()
def analyze(
    file: Path = typer.Argument(..., help="Résumé to analyse: PDF, DOCX, TXT or Markdown."),
    job: Path | None = typer.Option(None, "--job", help="Job description (text, or JSON job)."),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="Output."),
    out: Path | None = typer.Option(None, "--out", help="Write the report here, not stdout."),
    max_pages: int = typer.Option(20, "--max-pages", min=1, help="Refuse longer documents."),
) -> None:
    """Review a résumé (and match it to a job) offline; bad input exits 1 with a message."""
    from cvlens.analysis.errors import AnalysisError
    from cvlens.analysis_report import InputError, render_json, render_text, run_analysis

    try:
        result = run_analysis(file, job, max_pages=max_pages)
    except (AnalysisError, InputError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(code=1) from None
    if output_format is OutputFormat.json:
        report = render_json(result)
    else:
        report = render_text(result, color=out is None and sys.stdout.isatty())
    if out is None:
        sys.stdout.write(report)
        return
    try:
        out.write_text(report, encoding="utf-8")
    except OSError as err:
        typer.echo(f"error: cannot write {out}: {err.strerror or err}", err=True)
        raise typer.Exit(code=1) from None
