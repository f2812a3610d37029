"""Review: a transparent, deterministic rubric over a parsed résumé and its layout."""

from cvlens.analysis.review.models import DimensionScore, Evidence, Finding, Review
from cvlens.analysis.review.rubric import DIMENSIONS, review_resume

__all__ = ["DIMENSIONS", "DimensionScore", "Evidence", "Finding", "Review", "review_resume"]
