"""The copy plan (YAML): which source table goes to which target table, and how.

```yaml
batch_size: 10000
tables:
  - source: users
    target: accounts            # default: same name as source
    key: id                     # or [tenant_id, id]; source columns, unique, kept as-is
    updated_column: updated_at  # optional: delta runs re-copy rows changed since last run
    columns:                    # default: every source column, same name
      id: id                    # target: source (rename)
      email: {from: email, cast: text, required: true}
      origin: {const: legacy}
      created_at: {from: created_at, cast: datetime}
    hook: mypkg.migrate:user_row   # optional: (source_row, target_row) -> target_row
    hook_columns: [display_name]   # target columns only the hook fills
```
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cutover.datacopy.errors import PlanError

CastName = Literal["int", "float", "decimal", "text", "bool", "json", "bytes", "datetime", "date"]
RowHook = Callable[[Mapping[str, Any], dict[str, Any]], Mapping[str, Any]]


class ColumnSpec(BaseModel):
    """How one target column is produced: from a source column (optionally cast) or a constant."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    source: str | None = Field(default=None, alias="from")
    cast: CastName | None = None
    const: Any = None
    default: Any = None
    required: bool = False

    @property
    def is_const(self) -> bool:
        return "const" in self.model_fields_set

    @model_validator(mode="after")
    def _one_origin(self) -> ColumnSpec:
        if self.is_const and self.source is not None:
            raise ValueError("a column takes either 'from' or 'const', not both")
        return self


class TablePlan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    target: str = ""
    key: list[str]
    updated_column: str | None = None
    columns: dict[str, ColumnSpec] | None = None
    hook: str | None = None
    hook_columns: list[str] = Field(default_factory=list)
    batch_size: int | None = Field(default=None, gt=0)

    @field_validator("key", mode="before")
    @classmethod
    def _key_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("columns", mode="before")
    @classmethod
    def _rename_shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: {"from": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _check(self) -> TablePlan:
        if not self.target:
            object.__setattr__(self, "target", self.source)
        if not self.key:
            raise ValueError("key needs at least one column")
        if self.hook is not None and ":" not in self.hook:
            raise ValueError("hook must be 'module:function'")
        if self.hook_columns and self.hook is None:
            raise ValueError("hook_columns needs a hook")
        if self.columns is not None:
            for target_name, spec in self.columns.items():
                if spec.source is None and not spec.is_const:
                    self.columns[target_name] = spec.model_copy(update={"source": target_name})
            keyed = {spec.source for spec in self.columns.values() if spec.cast is None}
            missing = [k for k in self.key if k not in keyed]
            if missing:
                raise ValueError(f"key column(s) {missing} must be mapped without a cast")
        return self

    @property
    def name(self) -> str:
        """The checkpoint name of this table's copy."""
        return f"{self.source}->{self.target}"

    @property
    def target_key(self) -> list[str]:
        """Target names of the key columns (renames only)."""
        if self.columns is None:
            return list(self.key)
        by_source = {spec.source: name for name, spec in self.columns.items() if spec.cast is None}
        return [by_source[k] for k in self.key]

    def load_hook(self) -> RowHook | None:
        if self.hook is None:
            return None
        module_name, _, attr = self.hook.partition(":")
        if os.getcwd() not in sys.path:  # like `python -m` (and uvicorn's --app-dir .)
            sys.path.insert(0, os.getcwd())
        try:
            function = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise PlanError(f"table {self.source}: cannot load hook {self.hook}: {exc}") from exc
        if not callable(function):
            raise PlanError(f"table {self.source}: hook {self.hook} is not callable")
        return function  # type: ignore[no-any-return]


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    batch_size: int = Field(default=10_000, gt=0)
    tables: list[TablePlan] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_targets(self) -> Plan:
        names = [t.name for t in self.tables]
        if len(set(names)) != len(names):
            raise ValueError("each source->target pair may appear once")
        return self

    def batch_size_of(self, table: TablePlan) -> int:
        return table.batch_size or self.batch_size


def load_plan(path: str | Path) -> Plan:
    """Read and validate a YAML plan; every problem is a PlanError naming the file."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PlanError(f"cannot read plan {path}: {exc}") from exc
    return parse_plan(raw, str(path))


def parse_plan(raw: Any, origin: str = "<plan>") -> Plan:
    try:
        return Plan.model_validate(raw)
    except ValidationError as exc:
        raise PlanError(f"invalid plan {origin}: {exc}") from exc
