"""Print the README's settings table from the Settings class (so the two never drift)."""

from __future__ import annotations

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


if __name__ == "__main__":
    print(settings_table())
