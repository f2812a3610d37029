"""Entries → JSON Resume records for work, volunteer, education, projects and friends."""

from __future__ import annotations

import re

from cvlens.analysis.document import Line
from cvlens.analysis.parse.contact import find_urls
from cvlens.analysis.parse.dates import find_date_range
from cvlens.analysis.parse.entries import Entry, split_entries, split_header
from cvlens.analysis.resume import (
    Award,
    Certificate,
    Education,
    Project,
    Publication,
    Volunteer,
    Work,
)

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
_LEGAL_ORG_RE = re.compile(
    r"\b(?:inc|llc|ltd|limited|gmbh|ag|corp|corporation|s\.?r\.?o|s\.?a|plc|pty|bv|"
    r"university|college|school|institute|foundation|association)\b\.?",
    re.IGNORECASE,
)
_ORG_RE = re.compile(
    r"\b(?:company|co|technologies|technology|solutions|labs|group|systems|software|studio|"
    r"studios|agency|bank|partners|consulting|services|ventures|media|networks|holdings|"
    r"industries|international|global)\b\.?",
    re.IGNORECASE,
)


_SCHOOL_RE = re.compile(
    r"universit|college|school|institut|academy|polytechn|universidad|universität|"
    r"hochschule|école|ecole|lyceum|gymnasium|campus|faculty of|bootcamp",
    re.IGNORECASE,
)
_DEGREE_RE = re.compile(
    r"^(?P<type>(?:(?:bachelor|master|doctor|associate)(?:['’]?s)?(?:\s+degree)?"
    r"(?:\s+of\s+(?:science|arts|engineering|business administration|fine arts|laws))?"
    r"|b\.?\s?sc?\.?|m\.?\s?sc?\.?|b\.?a\.?|m\.?a\.?|b\.?eng\.?|m\.?eng\.?|ph\.?\s?d\.?|mba|"
    r"diploma|certificate(?: of completion)?|specialist degree|specialist|graduation|"
    r"licen[cs]e|licenciatura|high school diploma|a-levels|ged|engineer(?:ing)? degree|"
    r"ingeniero|ingénieur|hnd|btec))\b[.,]?"
    r"(?:\s*(?:in|of|on|,|-|–|—|:)\s*|\s+)?(?P<area>.*)$",
    re.IGNORECASE,
)
_SCORE_RE = re.compile(
    r"\b(?:gpa|grade|score|cgpa|mark|result)s?\b\s*[:\-]?\s*([\d.,/]+(?:\s*/\s*[\d.]+)?)",
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


def _title_score(text: str) -> int:
    """2 when the text ends with a role noun ("... Engineer"), 1 when it has a role word."""
    if _TITLE_NOUN_END_RE.search(text.strip()):
        return 2
    return 1 if _TITLE_RE.search(text) else 0


def _is_title(text: str) -> bool:
    return bool(_TITLE_RE.search(text))


def _is_org(text: str) -> bool:
    return bool(_LEGAL_ORG_RE.search(text) or _ORG_RE.search(text))


def _header_texts(entry: Entry) -> list[str]:
    texts: list[str] = []
    for line in entry.headers:
        texts.extend(split_header(line.text) if len(entry.headers) == 1 else [line.text.strip()])
    return [t for t in texts if t]


def _site_name(text: str) -> str:
    """An organisation shown as its web address: "https://www.gong.io/" → "gong.io"."""
    match = re.fullmatch(r"(?:https?://)?(?:www\.)?([\w.-]+\.[a-z]{2,})/?", text.strip())
    return match.group(1) if match else text


def organisation_and_role(texts: list[str]) -> tuple[str | None, str | None]:
    """Pick the organisation and the role among the header texts of an entry.

    The role is the text that reads most like a job title (ends with a role noun, else
    has a role word) and is not a legal entity; the organisation is the first other
    text. With no cue at all the first text is taken as the role.
    """
    texts = list(dict.fromkeys(_site_name(t) for t in texts if t))
    if not texts:
        return None, None
    scores = [0 if _LEGAL_ORG_RE.search(t) else _title_score(t) for t in texts]
    if len(texts) == 1:
        return (None, texts[0]) if scores[0] else (texts[0], None)
    best = max(scores)
    if best == 0:
        orgs = [t for t in texts if _is_org(t)]
        if orgs:
            return orgs[0], next(t for t in texts if t != orgs[0])
        return texts[1], texts[0]
    role_index = scores.index(best)
    others = [t for i, t in enumerate(texts) if i != role_index]
    orgs = [t for t in others if _is_org(t)]
    return (orgs[0] if orgs else others[0]), texts[role_index]


def _summary(entry: Entry) -> str | None:
    return " ".join(entry.text) if entry.text else None


def _url(entry: Entry) -> str | None:
    urls = find_urls([ln.text for ln in entry.headers] + entry.text)
    return urls[0] if urls else None


def _dates(entry: Entry) -> tuple[str | None, str | None]:
    if entry.dates is None:
        return None, None
    return entry.dates.start, None if entry.dates.ongoing else entry.dates.end


def parse_work(lines: list[Line]) -> list[Work]:
    items: list[Work] = []
    for entry in split_entries(lines):
        name, position = organisation_and_role(_header_texts(entry))
        if not (name or position):
            continue
        start, end = _dates(entry)
        items.append(
            Work(
                name=name,
                position=position,
                location=entry.location,
                url=_url(entry),
                startDate=start,
                endDate=end,
                summary=_summary(entry),
                highlights=entry.bullets,
            )
        )
    return items


def parse_volunteer(lines: list[Line]) -> list[Volunteer]:
    return [
        Volunteer(
            organization=w.name,
            position=w.position,
            url=w.url,
            startDate=w.startDate,
            endDate=w.endDate,
            summary=w.summary,
            highlights=w.highlights,
        )
        for w in parse_work(lines)
    ]


def split_degree(text: str) -> tuple[str | None, str | None]:
    """ "Master's Degree in Physics" → ("Master's Degree", "Physics")."""
    match = _DEGREE_RE.match(text.strip())
    if not match:
        return None, None
    area = match.group("area").strip(" ,-–—:") or None
    return match.group("type").strip(" ,"), area


def parse_education(lines: list[Line]) -> list[Education]:
    items: list[Education] = []
    for entry in split_entries(lines):
        texts = [ln.text.strip() for ln in entry.headers]
        if len(texts) == 1:
            texts = split_header(texts[0])
        institution = next((t for t in texts if _SCHOOL_RE.search(t)), None)
        study_type = area = score = None
        rest: list[str] = []
        for text in texts:
            if text == institution:
                continue
            kind, field = split_degree(text)
            if kind and study_type is None:
                study_type, area = kind, field or area
            else:
                rest.append(text)
        if institution is None and rest:
            institution = rest.pop(0)
        if area is None and rest:
            area = rest.pop(0)
        for text in entry.text + entry.bullets:
            found = _SCORE_RE.search(text)
            if found:
                score = found.group(1)
        if not institution:
            continue
        start, end = _dates(entry)
        courses = [b for b in entry.bullets if not _SCORE_RE.search(b)]
        items.append(
            Education(
                institution=institution,
                area=area,
                studyType=study_type,
                startDate=start,
                endDate=end,
                score=score,
                courses=courses,
                url=_url(entry),
            )
        )
    return items


def parse_projects(lines: list[Line]) -> list[Project]:
    items: list[Project] = []
    for entry in split_entries(lines):
        texts = [ln.text.strip() for ln in entry.headers]
        if not texts and not entry.text:
            continue
        name = re.split(r"\s+[∙·|–—-]\s+", texts[0])[0] if texts else entry.text[0][:80]
        start, end = _dates(entry)
        roles = [t for t in texts[1:] if _is_title(t)]
        items.append(
            Project(
                name=name,
                description=_summary(entry),
                highlights=entry.bullets,
                startDate=start,
                endDate=end,
                url=_url(entry),
                roles=roles,
            )
        )
    return items


def _title_and_source(entry: Entry) -> tuple[str, str | None]:
    """Title and issuer/awarder: two header lines, or one line split at a dash or comma."""
    texts = [ln.text.strip() for ln in entry.headers]
    if entry.dates is None and texts:
        found = find_date_range(texts[0])
        if found is not None:
            entry.dates = found
            texts[0] = texts[0].replace(found.text, " ").strip(" ()-–—|,")
    if len(texts) == 1:
        texts = [p for p in re.split(r"\s+[-–—|]\s+|\s*,\s+", texts[0]) if p] or texts
    source = texts[1] if len(texts) > 1 else None
    if source:
        source = re.sub(r"^(?:awarded by|issued by|from|by)\s+", "", source, flags=re.I)
    return texts[0], source


def parse_awards(lines: list[Line]) -> list[Award]:
    items: list[Award] = []
    for entry in split_entries(lines):
        if not entry.headers:
            continue
        title, awarder = _title_and_source(entry)
        start, _ = _dates(entry)
        items.append(Award(title=title, awarder=awarder, date=start, summary=_summary(entry)))
    return items


def parse_certificates(lines: list[Line]) -> list[Certificate]:
    items: list[Certificate] = []
    for entry in split_entries(lines):
        if not entry.headers:
            continue
        name, issuer = _title_and_source(entry)
        start, _ = _dates(entry)
        items.append(Certificate(name=name, issuer=issuer, date=start, url=_url(entry)))
    return items


def parse_publications(lines: list[Line]) -> list[Publication]:
    items: list[Publication] = []
    for entry in split_entries(lines):
        texts = [ln.text.strip() for ln in entry.headers]
        if not texts:
            continue
        start, _ = _dates(entry)
        items.append(
            Publication(
                name=texts[0],
                publisher=texts[1] if len(texts) > 1 else None,
                releaseDate=start,
                url=_url(entry),
                summary=_summary(entry),
            )
        )
    return items
