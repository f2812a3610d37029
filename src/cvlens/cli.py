"""The `cvlens` command line."""

from __future__ import annotations

import typer

from cvlens import __version__

app = typer.Typer(help="CVLens: résumé intelligence backend.", no_args_is_help=True)


@app.command()
def version() -> None:
    """Print the CVLens version."""
    typer.echo(__version__)
