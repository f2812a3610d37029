"""A plan table resolved against both databases, and its batch transform.

The fast path works column by column (renames, casts, constants, type coercion run as
list operations); a batch with a bad value, or a table with a hook, goes row by row so
each failing row is rejected with its own reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cutover.datacopy.endpoints import ColumnInfo, Endpoint, TableShape
from cutover.datacopy.errors import PlanError, RowRejectedError
from cutover.datacopy.plan import ColumnSpec, RowHook, TablePlan
from cutover.datacopy.values import CASTS, COERCE, Family, coerce_column

Row = tuple[Any, ...]
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Rejected:
    key: Key
    reason: str
    row: Mapping[str, Any]


@dataclass
class TransformedBatch:
    rows: list[Row] = field(default_factory=list)  # target rows, key order
    keys: list[Key] = field(default_factory=list)  # source key of each target row
    rejected: list[Rejected] = field(default_factory=list)


@dataclass(frozen=True)
class _ColumnRule:
    name: str
    family: Family
    source_index: int | None
    const: Any
    cast: Callable[[Any], Any] | None
    default: Any
    required: bool


@dataclass
class ResolvedTable:
    plan: TablePlan
    source_columns: list[str]
    source_key_families: list[Family]
    key_positions: list[int]
    target: TableShape
    rules: list[_ColumnRule]
    hook: RowHook | None

    @property
    def name(self) -> str:
        return self.plan.name

    def target_key_families(self) -> list[Family]:
        return [self.target.families[list(self.target.columns).index(k)] for k in self.target.key]

    def transform(self, rows: Sequence[Row]) -> TransformedBatch:
        if not rows:
            return TransformedBatch()
        if self.hook is None:
            try:
                return self._columnwise(rows)
            except (ValueError, TypeError, ArithmeticError, RowRejectedError):
                pass  # find the failing rows one by one
        batch = TransformedBatch()
        for row in rows:
            key = tuple(row[i] for i in self.key_positions)
            try:
                batch.rows.append(self.transform_row(row))
                batch.keys.append(key)
            except Exception as exc:  # a hook may raise anything: the row is rejected
                reason = (
                    str(exc)
                    if isinstance(exc, RowRejectedError)
                    else f"{type(exc).__name__}: {exc}"
                )
                batch.rejected.append(
                    Rejected(key, reason, dict(zip(self.source_columns, row, strict=True)))
                )
        return batch

    def _columnwise(self, rows: Sequence[Row]) -> TransformedBatch:
        source = list(zip(*rows, strict=True))
        n = len(rows)
        out: list[Sequence[Any]] = []
        for rule in self.rules:
            if rule.source_index is None:
                values: Sequence[Any] = [rule.const] * n
            else:
                values = source[rule.source_index]
            if rule.cast is not None:
                cast = rule.cast
                values = [None if v is None else cast(v) for v in values]
            if rule.default is not None:
                default = rule.default
                values = [default if v is None else v for v in values]
            if rule.required and None in values:
                raise RowRejectedError(f"column {rule.name} is required")
            out.append(coerce_column(rule.family, values))
        keys = list(zip(*(source[i] for i in self.key_positions), strict=True))
        target_keys = list(zip(*(out[i] for i in self._target_key_positions), strict=True))
        if target_keys != keys:
            raise RowRejectedError("a key value changes in the target type")
        return TransformedBatch(rows=list(zip(*out, strict=True)), keys=keys)

    @property
    def _target_key_positions(self) -> list[int]:
        names = list(self.target.columns)
        return [names.index(k) for k in self.target.key]

    def transform_row(self, row: Row) -> Row:
        values: dict[str, Any] = {}
        for rule in self.rules:
            if (
                rule.source_index is None
                and rule.const is None
                and rule.name in self.plan.hook_columns
            ):
                continue
            value = rule.const if rule.source_index is None else row[rule.source_index]
            if value is not None and rule.cast is not None:
                value = _checked(rule.name, rule.cast, value)
            if value is None:
                value = rule.default
            values[rule.name] = value
        if self.hook is not None:
            source_row = dict(zip(self.source_columns, row, strict=True))
            values = dict(self.hook(source_row, values))
        out = []
        for rule in self.rules:
            value = values.get(rule.name)
            if value is None and rule.required:
                raise RowRejectedError(f"column {rule.name} is required")
            out.append(None if value is None else _checked(rule.name, COERCE[rule.family], value))
        result = tuple(out)
        key = tuple(row[i] for i in self.key_positions)
        if tuple(result[i] for i in self._target_key_positions) != key:
            raise RowRejectedError(
                "a key value changes in the target type (or the hook changed it)"
            )
        return result


def _checked(column: str, convert: Callable[[Any], Any], value: Any) -> Any:
    """convert(value), its failure a rejection that names the column."""
    try:
        return convert(value)
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise RowRejectedError(f"column {column}: {exc}") from exc


def _by_name(infos: list[ColumnInfo]) -> dict[str, ColumnInfo]:
    return {info.name: info for info in infos}


def resolve_table(plan: TablePlan, source: Endpoint, target: Endpoint) -> ResolvedTable:
    """Check the plan against both schemas and build the column rules."""
    source_info = _by_name(source.columns(plan.source))
    target_info = _by_name(target.columns(plan.target))
    specs: dict[str, ColumnSpec] = (
        dict(plan.columns)
        if plan.columns is not None
        else {name: ColumnSpec.model_validate({"from": name}) for name in source_info}
    )
    specs.update({name: ColumnSpec.model_validate({"const": None}) for name in plan.hook_columns})
    needed = [
        plan.source + "." + s.source
        for s in specs.values()
        if s.source and s.source not in source_info
    ]
    needed += [plan.source + "." + k for k in plan.key if k not in source_info]
    if plan.updated_column and plan.updated_column not in source_info:
        needed.append(f"{plan.source}.{plan.updated_column}")
    if needed:
        raise PlanError(f"source column(s) not found: {', '.join(needed)}")
    unknown = [name for name in specs if name not in target_info]
    if unknown:
        raise PlanError(f"target column(s) not found in {plan.target}: {', '.join(unknown)}")

    if plan.hook is not None:
        source_columns = list(source_info)
    else:
        # updated_column too: copy records its largest value per batch (digests.py)
        read = [*plan.key, *(s.source for s in specs.values() if s.source)]
        source_columns = list(
            dict.fromkeys(read + ([plan.updated_column] if plan.updated_column else []))
        )
    index = {name: i for i, name in enumerate(source_columns)}
    rules = [
        _ColumnRule(
            name=name,
            family=target_info[name].family,
            source_index=index[spec.source] if spec.source else None,
            const=spec.const,
            cast=CASTS[spec.cast] if spec.cast else None,
            default=spec.default,
            required=spec.required,
        )
        for name, spec in specs.items()
    ]
    target_key = plan.target_key if plan.columns is not None else list(plan.key)
    shape = TableShape(
        table=plan.target,
        columns=[r.name for r in rules],
        key=target_key,
        families=[r.family for r in rules],
    )
    return ResolvedTable(
        plan=plan,
        source_columns=source_columns,
        source_key_families=[source_info[k].family for k in plan.key],
        key_positions=[index[k] for k in plan.key],
        target=shape,
        rules=rules,
        hook=plan.load_hook(),
    )
