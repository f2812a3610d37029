"""`cutover copy` / `cutover verify`: move table data from a legacy database to the new one.

Generic: a YAML plan maps source tables to target tables with column transforms; the
copier batches by key, upserts, checkpoints each batch in the target, and the verifier
compares row counts and order-independent checksums of the transformed rows.
"""

from cutover.datacopy.copier import CopyOptions, TableCopyStats, copy_data
from cutover.datacopy.errors import CopyAbortedError, DataCopyError, PlanError
from cutover.datacopy.plan import Plan, load_plan
from cutover.datacopy.verifier import TableVerification
from cutover.datacopy.verify import verify_data

__all__ = [
    "CopyAbortedError",
    "CopyOptions",
    "DataCopyError",
    "Plan",
    "PlanError",
    "TableCopyStats",
    "TableVerification",
    "copy_data",
    "load_plan",
    "verify_data",
]
