"""Imports every feature's models so `Base.metadata` knows all tables (Alembic, tests)."""

from cvlens.features.analyses import models as analyses_models
from cvlens.features.auth import models as auth_models
from cvlens.features.legacy_v1 import models as legacy_v1_models
from cvlens.features.resumes import models as resumes_models
from cvlens.platform import jobs as jobs_models
from cvlens.platform.db import Base

__all__ = [
    "Base",
    "analyses_models",
    "auth_models",
    "jobs_models",
    "legacy_v1_models",
    "resumes_models",
]
