"""Statements built once at import time must know the type of every bound parameter.

A comparison with a foreign-key column built before the referenced table is defined gets an
untyped parameter, and SQLite then refuses a UUID value. Whether that happens depends on
import order, so this runs in a fresh interpreter that imports the app the way `cvlens
serve` does (the test session's own imports would hide it).
"""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import cvlens.app
from sqlalchemy.types import NullType
from cvlens.features.analyses import handler, service as analyses
from cvlens.features.auth import deps
from cvlens.features.resumes import service as resumes
from cvlens.platform import jobs

statements = {
    "analysis with job": analyses._OWNED_ANALYSIS_WITH_JOB,
    "owned analysis id": analyses._OWNED_ANALYSIS_ID,
    "analysis for owned résumé": analyses._INSERT_FOR_OWNED_RESUME,
    "user in live session": deps._USER_IN_LIVE_SESSION,
    "resume by digest": resumes._OWNED_BY_DIGEST,
    "claim": jobs._CLAIM,
    "renew": jobs._RENEW_WITH_PROGRESS,
    "finish": jobs._FINISH,
    "job snapshot": jobs._SNAPSHOT,
    "analysis input": handler._INPUT,
    "save result": handler._SAVE_RESULT,
}
untyped = [
    f"{name}: {key}"
    for name, statement in statements.items()
    for key, bind in statement.compile().binds.items()
    if isinstance(bind.type, NullType)
]
assert not untyped, untyped
"""


def test_prebuilt_statements_type_every_parameter() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
