"""Does a short text read like a job title, or like an organisation?"""

from __future__ import annotations

import re

_TITLE_RE = re.compile(
    r"\b(?:engineer|developer|programmer|manager|director|intern|internship|consultant|"
    r"architect|lead|leader|designer|analyst|scientist|ceo|cto|cfo|coo|cio|vp|founder|"
    r"co-founder|cofounder|specialist|officer|head|president|administrator|coordinator|"
    r"assistant|associate|technician|teacher|lecturer|professor|researcher|research|"
    r"student|volunteer|owner|partner|advisor|adviser|editor|writer|author|trainer|"
    r"instructor|tutor|mentor|supervisor|executive|representative|agent|tester|"
    r"administrador|desarrollador|ingeniero|freelancer|freelance|contractor|devops|sre|"
    r"fellow|member|chair|chairman|organizer|organiser|board|staff|principal|senior|"
    r"junior|sr|jr|expert|evangelist|advocate|strategist|product owner|scrum master)\b",
    re.IGNORECASE,
)
LEGAL_ORG_RE = re.compile(
    r"\b(?:inc|llc|ltd|limited|gmbh|ag|corp|corporation|s\.?r\.?o|s\.?a|plc|pty|bv|"
    r"university|college|school|institute|foundation|association)\b\.?",
    re.IGNORECASE,
)
ORG_RE = re.compile(
    r"\b(?:company|co|technologies|technology|solutions|labs|group|systems|software|studio|"
    r"studios|agency|bank|partners|consulting|services|ventures|media|networks|holdings|"
    r"industries|international|global)\b\.?",
    re.IGNORECASE,
)


_TITLE_NOUN_END_RE = re.compile(
    r"\b(?:engineer|developer|programmer|manager|director|intern|consultant|architect|lead|"
    r"designer|analyst|scientist|ceo|cto|cfo|coo|founder|co-founder|specialist|officer|head|"
    r"president|administrator|coordinator|assistant|associate|technician|teacher|"
    r"researcher|owner|advisor|editor|writer|instructor|tester|freelancer|contractor|"
    r"student|volunteer|member|chair|principal|evangelist|strategist)s?\b(?:\s*\(.*\))?"
    r"(?:\s+(?:i{1,3}|iv|v|[1-5]))?$",
    re.IGNORECASE,
)


def title_score(text: str) -> int:
    """2 when the text ends with a role noun ("... Engineer"), 1 when it has a role word."""
    if _TITLE_NOUN_END_RE.search(text.strip()):
        return 2
    return 1 if _TITLE_RE.search(text) else 0


def is_title(text: str) -> bool:
    return bool(_TITLE_RE.search(text))
