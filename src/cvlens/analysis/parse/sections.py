"""Entries → JSON Resume records for work, volunteer, education, projects and friends."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from cvlens.analysis.document import Line
from cvlens.analysis.parse.contact import find_urls
from cvlens.analysis.parse.dates import find_date_range
from cvlens.analysis.parse.entries import (
    Entry,
    header_core,
    looks_like_location,
    split_entries,
    split_header,
)
from cvlens.analysis.parse.roles import is_title, legal_org_re, org_re, title_score
from cvlens.analysis.resume import (
    Award,
    Certificate,
    Education,
    Project,
    Publication,
    Volunteer,
    Work,
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


_DASH_RE = re.compile(r"\s[-–—]\s")
_PARENS_MASK_RE = re.compile(r"\([^)]*\)")


def _header_texts(entry: Entry, roles_stand_alone: bool = False) -> list[str]:
    """The header texts of an entry; a lone header is split ("Engineer at Acme") unless
    every part reads as a role ("iOS Engineer, Co-founder" is one role).

    `roles_stand_alone`: the section's other lone headers are bare roles, so a dash in
    this one qualifies the role ("Solution Architect - Digital eCommerce") unless the
    other part is a legal entity ("Architect - Acme GmbH").
    """
    if len(entry.headers) != 1:
        texts = [t for t in (header_core(line.text) for line in entry.headers) if t]
        for index, text in enumerate(texts):
            explicit = _role_at_employer(text)
            if explicit:  # "Engineer at Acme" over a place: the rest is not the employer
                return [*explicit, *texts[:index], *texts[index + 1 :]]
        return texts
    whole = header_core(entry.headers[0].text)
    explicit = _role_at_employer(whole)
    if explicit:
        return explicit
    parts = split_header(whole)
    legal = any(legal_org_re().search(p) for p in parts)  # "Code Marketer s.r.o."
    if len(parts) > 1 and all(title_score(p) for p in parts) and not legal:
        return [whole]
    if (
        roles_stand_alone
        and len(parts) == 2
        and _DASH_RE.search(whole)
        and title_score(parts[0])
        and not legal_org_re().search(parts[1])
    ):
        return [whole]
    return [p for p in parts if p]


_AT_RE = re.compile(r"\s+(?:at|@)\s+")


def _field_of_study(text: str) -> bool:
    """What may stand before "at <school>": a degree, a field, a course — not a school."""
    return not _SCHOOL_RE.search(text)


def _role_at_employer(
    text: str, first_part: Callable[[str], object] = title_score
) -> list[str] | None:
    """ "Engineer at Acme" / "Engineer @ Acme" → [role, employer]: the one joiner that says
    which part is which. `first_part` says whether the text before the joiner can be a role
    (for work) or a field of study (for education)."""
    parts = _AT_RE.split(_PARENS_MASK_RE.sub(lambda m: "\0" * len(m.group()), text))
    if len(parts) != 2:
        return None
    cut = len(parts[0])
    role, employer = text[:cut].strip(), _AT_RE.sub("", text[cut:], count=1).strip()
    if not (role and employer) or not first_part(role):
        return None
    if title_score(employer) == 2 and not legal_org_re().search(employer):
        return None  # the part after "at" reads as a role, not an employer
    return [role, employer]


def _roles_stand_alone(entries: list[Entry]) -> bool:
    """Most lone headers of the section are one unsplittable text: the theme prints the
    role alone (the employer is elsewhere or nowhere)."""
    lone = [header_core(e.headers[0].text) for e in entries if len(e.headers) == 1]
    whole = sum(1 for text in lone if len(split_header(text)) == 1)
    return len(lone) >= 3 and whole * 4 >= len(lone) * 3


_SITE_RE = re.compile(r"(?:https?://)?(?:www\.)?([\w.-]+\.[a-z]{2,})/?")


def _site_name(text: str) -> str:
    """An organisation shown as its web address: "https://www.gong.io/" → "gong.io"."""
    match = _SITE_RE.fullmatch(text.strip())
    return match.group(1) if match else text


def _distinct_names(texts: list[str]) -> list[str]:
    """The header texts once each, a web address as its site's name."""
    return list(dict.fromkeys(_site_name(t) for t in texts if t))


def _resolve(texts: list[str]) -> tuple[int | None, int | None, bool]:
    """Indexes of (organisation, role) among the texts, and whether a cue decided it."""
    if not texts:
        return None, None, False
    legal_re = legal_org_re()
    is_legal = [legal_re.search(t) is not None for t in texts]
    scores = [0 if is_legal[i] else title_score(t) for i, t in enumerate(texts)]
    if len(texts) == 1:
        return (None, 0, True) if scores[0] else (0, None, True)
    best = max(scores)
    if best == 0:
        legal = [i for i in range(len(texts)) if is_legal[i]]
        weak = [i for i, t in enumerate(texts) if org_re().search(t)]
        cued = legal or weak
        if not cued:
            return 1, 0, False
        org = cued[0]
        return org, (1 if org == 0 else 0), bool(legal)  # "Technology" alone decides nothing
    role = scores.index(best)
    others = [i for i in range(len(texts)) if i != role]
    legal = [i for i in others if is_legal[i]]
    decided = best > 0 and scores.count(best) == 1
    return (legal or others)[0], role, decided


def organisation_and_role(
    texts: list[str], org_first: bool | None = None
) -> tuple[str | None, str | None]:
    """Pick the organisation and the role among the header texts of an entry.

    The role is the text that reads most like a job title (ends with a role noun, else
    has a role word) and is not a legal entity; the organisation is the first other
    text. When nothing decides, `org_first` (learned from the other entries of the
    section) says which of the first two comes first; without it the role is first.
    """
    names = _distinct_names(texts)
    return _chosen(names, _resolve(names), org_first)


def _chosen(
    texts: list[str], resolved: tuple[int | None, int | None, bool], org_first: bool | None
) -> tuple[str | None, str | None]:
    """The texts `_resolve` picked, or, when no cue decided, those `org_first` picks."""
    org, role, decided = resolved
    if not decided and org_first is not None and len(texts) >= 2:
        org, role = (0, 1) if org_first else (1, 0)
    return (texts[org] if org is not None else None), (texts[role] if role is not None else None)


def _org_first_majority(resolved: list[tuple[int | None, int | None, bool]]) -> bool | None:
    """Whether the entries a cue decided mostly put the organisation first (None: a tie)."""
    votes = 0
    for org, role, decided in resolved:
        if decided and org is not None and role is not None:
            votes += 1 if org < role else -1
    return None if votes == 0 else votes > 0


def _reads_as_sentence(text: str) -> bool:
    """Five or more words, mostly starting lower-case: running text, not a company name."""
    words = text.split()
    lower = sum(1 for w in words if w[:1].isalpha() and w[:1].islower())
    return len(words) >= 5 and lower * 2 > len(words)


_DOT_RE = re.compile(r"\s+[·•∙]\s+")
_EMPLOYMENT_RE = re.compile(
    r"^(?:full[- ]time|part[- ]time|contract(?:or)?|freelance|internship|self[- ]employed|"
    r"permanent|temporary|seasonal|apprenticeship|remote|hybrid|on[- ]site)$",
    re.IGNORECASE,
)


def _name_and_tagline(text: str) -> tuple[str, str | None]:
    """ "Pied Piper · Awesome compression company" → the name and its tagline (JSON
    Resume's `description`): the part after a middle dot describes the organisation when
    it runs in lower case. An
    employment type after the dot ("Acme · Full-time") is not part of the name either
    (JSON Resume has no field for it; it is dropped)."""
    parts = _DOT_RE.split(text, maxsplit=1)
    if len(parts) != 2 or not parts[0].strip():
        return text, None
    if _EMPLOYMENT_RE.match(parts[1].strip()):
        return parts[0].strip(), None
    if any(w[:1].islower() for w in parts[1].split()[1:]):
        return parts[0].strip(), parts[1].strip()
    return text, None


_PRONOUNS = {"i", "we", "he", "she", "they", "it", "this", "that", "our", "my", "the", "a", "an"}
_DESCRIBED_RE = re.compile(
    r"^(?P<name>[A-Z][\w&.'’-]*(?:\s+(?:[A-Z0-9][\w&.'’-]*|&|of|and|de|for)){0,4}),?\s+"
    r"(?:is|was)\s+(?:a|an|one of|the)\s"
)


def _described_employer(summary: str) -> str | None:
    """ "Pied Piper is a multi-platform technology …" opening a job's summary names the
    employer the theme did not print as a header: a proper name as the subject of "is a",
    not a pronoun ("We are a …", "It was a …")."""
    found = _DESCRIBED_RE.match(summary)
    if found is None or found["name"].split()[0].lower() in _PRONOUNS:
        return None
    return found["name"]


def _reads_as_description(text: str) -> bool:
    """ "Awesome compression company": a capital only on the first of several words is a
    tagline (JSON Resume's `description`), not a proper name ("Bank of America")."""
    words = text.split()
    return len(words) >= 2 and all(w[:1].islower() for w in words[1:])


def _name_and_place(name: str, location: str | None) -> tuple[str, str | None]:
    """ "Acme Corp, Berlin, Germany" → ("Acme Corp", "Berlin, Germany")."""
    head, _, tail = name.partition(", ")
    if location is None and head and tail and looks_like_location(tail):
        return head, tail
    return name, location


def _same_setting(a: Line, b: Line) -> bool:
    return a.bold == b.bold and abs(a.font_size - b.font_size) < 0.3 and a.style == b.style


def _summary(entry: Entry) -> str | None:
    return " ".join(entry.text) if entry.text else None


def _url(entry: Entry) -> str | None:
    urls = entry.urls + find_urls([ln.text for ln in entry.headers] + entry.text)
    return urls[0] if urls else None


def _dates(entry: Entry) -> tuple[str | None, str | None]:
    if entry.dates is None:
        return None, None
    return entry.dates.start, None if entry.dates.ongoing else entry.dates.end


def _bare_place(text: str) -> bool:
    """ "Birmingham, AL" is a place; "Fabrikam Foods, Berlin, Germany" reads as an employer
    and its place (see `_name_and_place`)."""
    _, _, tail = text.partition(", ")
    return looks_like_location(text) and not (tail and looks_like_location(tail))


def _work_headers(entry: Entry, roles_stand_alone: bool) -> tuple[list[str], str | None]:
    """The header texts of a job, less a place printed where the employer usually stands
    ("Birmingham, AL" / dates / "Director"): the place, when other headers remain."""
    texts = _header_texts(entry, roles_stand_alone)
    if len(texts) < 2:
        return texts, None
    places = [t for t in texts if _bare_place(t)]
    if not places or len(places) == len(texts):
        return texts, None
    return [t for t in texts if t not in places], places[0]


def parse_work(lines: list[Line]) -> list[Work]:
    items: list[Work] = []
    entries = split_entries(lines)
    alone = _roles_stand_alone(entries)
    headers = [_work_headers(e, alone) for e in entries]
    names = [_distinct_names(texts) for texts, _ in headers]
    resolved = [_resolve(texts) for texts in names]  # once each, for the vote and the pick
    org_first = _org_first_majority(resolved)
    previous_role: Line | None = None  # the role line under the last employer printed
    for entry, (_, place), texts, picked in zip(entries, headers, names, resolved, strict=True):
        name, position = _chosen(texts, picked, org_first)
        if name is None and entry.urls:  # the employer shown only as its web address
            name = _site_name(entry.urls[0])
        summary = _summary(entry)
        if name is not None and _reads_as_sentence(name):  # the employer was not printed
            summary = f"{name}. {summary}" if summary else name
            name = None
        location, description = entry.location or place, None
        if name is not None:
            name, description = _name_and_tagline(name)
            name, location = _name_and_place(name, location)
        at = [i for i, h in enumerate(entry.headers) if header_core(h.text) == position]
        if name is None and len(entry.headers) == 1 and at and previous_role is not None:
            if _same_setting(previous_role, entry.headers[0]):  # "Acme" / "Lead" / "Engineer"
                name = items[-1].name
        elif name is not None:
            # only an employer printed above its role, and set apart from it (plain text
            # says nothing of what belongs together), heads a group of roles
            set_apart = bool(at) and not _same_setting(entry.headers[0], entry.headers[at[0]])
            previous_role = entry.headers[at[0]] if at and at[0] > 0 and set_apart else None
        described = _described_employer(summary) if summary else None
        if described and (name is None or _reads_as_description(name)):
            name, description = described, description or name
        if not (name or position):
            continue
        start, end = _dates(entry)
        items.append(
            Work(
                name=name,
                position=position,
                location=location,
                description=description,
                url=_url(entry),
                startDate=start,
                endDate=end,
                summary=summary,
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


def _degree_line(texts: list[str]) -> str | None:
    """A line that is nothing but a degree ("Masters", "BSc."), set under the school like
    a list item by some themes."""
    for text in texts:
        kind, area = split_degree(text)
        if kind is not None and area is None:
            return text.strip()
    return None


def _awaits_its_field(entry: Entry) -> bool:
    """A school, its dates and a bare degree ("Master's Degree"), nothing else yet: the
    field of study printed under them belongs to them."""
    texts = [ln.text.strip() for ln in entry.headers]
    if entry.has_body or len(texts) != 2:
        return False
    bare = [t for t in texts if _degree_line([t]) is not None]
    if len(bare) != 1:
        return False
    other = texts[1] if bare[0] == texts[0] else texts[0]
    # a school by name, or a dated header ("Year Up" / 2016 - 2017 / "Certificate")
    return bool(_SCHOOL_RE.search(other)) or entry.dates is not None


def _degree_joins_its_school(entries: list[Entry]) -> list[Entry]:
    """A lone undated degree line ("Bachelor", "BSc.") under a school, its field and its
    dates belongs to that school, not to an entry of its own; so does a lone field of
    study under a school and a bare degree."""
    out: list[Entry] = []
    for entry in entries:
        texts = [ln.text.strip() for ln in entry.headers]
        lone_degree = (
            len(texts) == 1
            and entry.dates is None
            and not _SCHOOL_RE.search(texts[0])
            and _degree_line(texts) is not None
        )
        lone_field = (
            len(texts) == 1
            and entry.dates is None
            and not _SCHOOL_RE.search(texts[0])
            and split_degree(texts[0])[0] is None
        )
        if out and (lone_degree or (lone_field and _awaits_its_field(out[-1]))):
            previous = out[-1]
            previous.headers.append(entry.headers[0])
            previous.text.extend(entry.text)
            previous.bullets.extend(entry.bullets)
            previous.urls.extend(entry.urls)
            continue
        out.append(entry)
    return out


def _one_school_each(entries: list[Entry]) -> list[Entry]:
    """Undated schools listed one after another arrive as one entry: split at each school."""
    out: list[Entry] = []
    for entry in entries:
        starts = [i for i, ln in enumerate(entry.headers) if _SCHOOL_RE.search(ln.text)]
        if len(starts) < 2:
            out.append(entry)
            continue
        cuts = [0, *starts[1:], len(entry.headers)]
        for index, (a, b) in enumerate(itertools.pairwise(cuts)):
            last = index == len(cuts) - 2
            out.append(
                Entry(
                    headers=entry.headers[a:b],
                    dates=entry.dates if index == 0 else None,
                    location=entry.location if index == 0 else None,
                    text=entry.text if last else [],
                    bullets=entry.bullets if last else [],
                    urls=entry.urls if index == 0 else [],
                )
            )
    return out


def parse_education(lines: list[Line]) -> list[Education]:
    items: list[Education] = []
    for entry in _one_school_each(_degree_joins_its_school(split_entries(lines))):
        texts = [ln.text.strip() for ln in entry.headers]
        explicit = _role_at_employer(texts[0], _field_of_study) if len(texts) == 1 else None
        if explicit:  # "Chemical Engineering at Lakeside": the school follows "at"
            texts = [explicit[1], explicit[0]]
        elif len(texts) == 1:
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
        if study_type is None:
            listed = entry.text + courses
            study_type = _degree_line(listed)
            at = listed.index(study_type) if study_type is not None else 0
            if area is None and at > 0 and len(listed[at - 1].split()) <= 6:
                area = listed[at - 1]  # "Computer Science" / "Bachelor", both set as items
            courses = [c for c in courses if c not in (study_type, area)]
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
        roles = [t for t in texts[1:] if is_title(t)]
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
