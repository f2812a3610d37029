"""The `cutover` command line."""

from __future__ import annotations

import typer

app = typer.Typer(help="cutover: move live traffic from a legacy backend to a new one.")


@app.command()
def version() -> None:
    """Print the cutover version."""
    typer.echo("0.1.0")
