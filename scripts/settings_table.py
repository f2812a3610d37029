"""Print (or `--write` into README.md) the settings table, made from the Settings class."""

from __future__ import annotations

import sys
from pathlib import Path

from cvlens.settings import Settings


def settings_table() -> str:
    rows = ["| variable | default | what it does |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.get_default(call_default_factory=True)
        if hasattr(default, "get_secret_value"):
            default = "(dev-only value)"
        shown = "unset" if default is None else f"`{default}`"
        rows.append(f"| `CVLENS_{name.upper()}` | {shown} | {field.description or ''} |")
    return "\n".join(rows)


def write_readme(readme: Path) -> None:
    """Replace the table between the settings-table markers in README.md."""
    text = readme.read_text()
    start = text.index("\n", text.index("<!-- settings-table:start")) + 1
    end = text.index("<!-- settings-table:end")
    readme.write_text(text[:start] + settings_table() + "\n" + text[end:])


if __name__ == "__main__":
    if "--write" in sys.argv:
        write_readme(Path(__file__).resolve().parents[1] / "README.md")
    else:
        print(settings_table())
