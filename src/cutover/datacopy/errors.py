"""Typed errors of the data copy: each maps to a clear CLI message and exit code."""

from __future__ import annotations


class DataCopyError(Exception):
    """Base class: a copy or verify that cannot proceed."""


class PlanError(DataCopyError):
    """The plan file is invalid or does not match the databases."""


class EndpointError(DataCopyError):
    """A database URL that cannot be opened or used."""


class CopyAbortedError(DataCopyError):
    """`--stop-on-error` stopped the run at a row that could not be transformed."""


class RowRejectedError(ValueError):
    """One row cannot be transformed; carries the reason written to the reject file."""
