"""Match: a résumé against a job description, with evidence and an explained score."""

from cvlens.analysis.match.matcher import match_job
from cvlens.analysis.match.models import Match, MatchItem
from cvlens.analysis.match.taxonomy import Taxonomy, load_taxonomy

__all__ = ["Match", "MatchItem", "Taxonomy", "load_taxonomy", "match_job"]
