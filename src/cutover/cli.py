"""The `cutover` command line."""

from __future__ import annotations

import typer

from cutover.datacopy.cli import copy_command, verify_command

app = typer.Typer(help="cutover: move live traffic from a legacy backend to a new one.")


@app.command()
def version() -> None:
    """Print the cutover version."""
    typer.echo("0.1.0")


app.command("copy")(copy_command)
app.command("verify")(verify_command)
