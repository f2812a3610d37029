"""The `cvlens` command line (Typer)."""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cvlens import __version__

if TYPE_CHECKING:
    from cvlens.settings import Settings


class OutputFormat(enum.StrEnum):
    text = "text"
    json = "json"


app = typer.Typer(help="CVLens: résumé intelligence backend.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")


def _settings() -> Settings:
    """Load settings, turning a refusal into a plain message and exit code 2."""
    from pydantic import ValidationError

    from cvlens.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        for error in exc.errors():
            typer.echo(f"configuration error: {error['msg']}", err=True)
        raise typer.Exit(2) from None


@app.command()
def version() -> None:
    """Print the CVLens version."""
    typer.echo(__version__)


@app.command()
def config() -> None:
    """Print the effective settings as JSON, secrets masked."""
    typer.echo(json.dumps(_settings().masked(), indent=2, sort_keys=True))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
) -> None:
    """Start the API server (uvicorn)."""
    import uvicorn

    _settings()
    uvicorn.run(
        "cvlens.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        proxy_headers=True,
    )


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
) -> None:
    """Apply migrations up to REVISION (default: head)."""
    from cvlens.platform import migrations

    migrations.upgrade(_settings().database_url, revision)
    typer.echo(f"database upgraded to {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision")]) -> None:
    """Revert migrations down to REVISION (`base` for an empty schema)."""
    from cvlens.platform import migrations

    migrations.downgrade(_settings().database_url, revision)
    typer.echo(f"database downgraded to {revision}")


@app.command()
def analyze(
    file: Annotated[Path, typer.Argument(help="Résumé to analyse: PDF, DOCX, TXT or Markdown.")],
    job: Annotated[
        Path | None, typer.Option("--job", help="Job description (text, or JSON job).")
    ] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="Output.")] = (
        OutputFormat.text
    ),
    out: Annotated[Path | None, typer.Option("--out", help="Write the report here.")] = None,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="Refuse longer.")] = 20,
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


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Argument(help="The new user's email")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, help="Prompted when omitted"
        ),
    ],
    admin: Annotated[bool, typer.Option("--admin", help="Give the admin role")] = False,
) -> None:
    """Create a local account (password ≥ 10 characters, not a common one)."""
    import asyncio

    from cvlens.features.auth.commands import create_user_command
    from cvlens.platform.errors import ProblemError

    try:
        user = asyncio.run(create_user_command(_settings(), email, password, admin))
    except ProblemError as exc:
        reasons = [f"{e['name']} {e['reason']}" for e in exc.extra.get("errors", [])]
        typer.echo(f"error: {'; '.join(reasons) or exc.detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"created {user.role} {user.email} ({user.id})")
