"""Splitting a section (work, education, projects, ...) into entries.

No fixed template: each line is classed by what it looks like — a date line, a list
item (glyph, list style or indented under the entry), a label ("Highlights"), running
text, or a short header line (organisation, role, place). An entry starts at a header or
date line that follows the body of the previous one, or at a second date line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeGuard

from cvlens.analysis.document import Line
from cvlens.analysis.parse.dates import DateRange, find_date_range
from cvlens.analysis.parse.headings import body_size as section_body_size
from cvlens.analysis.parse.places import split_location
from cvlens.analysis.parse.roles import title_score

LABELS = {
    "highlights", "summary", "courses", "keywords", "responsibilities", "achievements",
    "key achievements", "technologies", "tech stack", "description", "roles", "tasks",
    "key responsibilities", "main achievements", "stack",
}  # fmt: skip
_REMOTE = {"remote", "hybrid", "on-site", "onsite", "worldwide", "anywhere"}
_END_PUNCT = (".", "!", "?", ";")
_ABBREVIATION_END_RE = re.compile(
    r"\b(?:inc|ltd|co|corp|llc|jr|sr|st|plc|s\.a|s\.r\.o|a\.g|u\.s|etc)\.$", re.IGNORECASE
)
_SCORE_LINE_RE = re.compile(r"^(?:gpa|cgpa|grade|score|final grade|result)\b", re.IGNORECASE)
MAX_HEADER_WORDS = 9
MAX_STYLED_HEADER_WORDS = 16
_OPEN_END_RE = re.compile(r"(?:\s(?:and|of|for|&|the|in|at|de|und)|[,&/-])$", re.IGNORECASE)
_URL_ONLY_RE = re.compile(r"^(?:https?://|www\.)\S+(?:\s+\((?:https?://|www\.)\S+\))?$")
_INLINE_URL_RE = re.compile(r"\s*((?:https?://|www\.)\S+)(?:\s+\((?:https?://|www\.)\S+\))?")
_LETTER_RE = re.compile(r"[^\W\d_]")
_BROKEN_DATE_RE = re.compile(r"^(?:(?:invalid date|nan|undefined)\s*[-–—]?\s*)+$", re.IGNORECASE)
_DURATION_UNIT = r"\d+\s*(?:years?|yrs?|months?|mos?|weeks?|wks?|days?)\.?"
# "1 year 3 months", "(2 yrs, 4 mos)", "· 9 months": how long a job lasted, printed by the
# date range; it says nothing the dates do not say.
_DURATION_RE = re.compile(
    rf"[(·•|,]?\s*\(?\b{_DURATION_UNIT}(?:,?\s*(?:and\s+)?{_DURATION_UNIT})*\)?", re.IGNORECASE
)
_EDGE_SEPARATORS_RE = re.compile(r"^[\s,;|·•]+|(?:[\s,;|·•:@–—-]+|\s+at)$")


def header_core(text: str) -> str:
    """A header without the separators a theme printed around a field it left empty:
    "Engineer," ("{position}, {company}" with no company), ", Engineer", "Engineer:"."""
    return _EDGE_SEPARATORS_RE.sub("", text.strip()) or text.strip()


@dataclass
class Entry:
    headers: list[Line] = field(default_factory=list)
    dates: DateRange | None = None
    location: str | None = None
    text: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    dates_bold: bool = False
    """Whether the dates were set in bold, like a header."""

    @property
    def has_body(self) -> bool:
        return bool(self.text or self.bullets)


def ends_sentence(text: str) -> bool:
    """A full stop that is not the end of "Inc." or "Ltd." ends a sentence."""
    value = text.rstrip()
    return value.endswith(_END_PUNCT) and not _ABBREVIATION_END_RE.search(value)


def looks_like_location(text: str) -> bool:
    value = text.strip()
    if value.casefold() in _REMOTE:
        return True
    return split_location(value) is not None


def _place(text: str) -> str:
    """ "(Saint-Petersburg, Russia)" → "Saint-Petersburg, Russia"."""
    value = text.strip()
    return value[1:-1].strip() if value.startswith("(") and value.endswith(")") else value


def _label(text: str) -> str | None:
    key = text.strip().rstrip(":").casefold()
    return key if key in LABELS else None


@dataclass
class _Geometry:
    left: float
    right: float
    positioned: bool
    measured: bool = False
    """Whether the right edge is a text measure that several lines reach (wrapped text),
    not merely the end of the longest line of a short section."""


def _geometry(lines: list[Line]) -> _Geometry:
    positioned = sum(1 for ln in lines if ln.x1 > 0) >= 3  # too few lines say nothing of width
    if not positioned:
        return _Geometry(0.0, 0.0, False)
    left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    reach = sum(1 for ln in lines if ln.x1 >= right - 0.05 * (right - left))
    return _Geometry(left, right, True, reach >= 2)


def _is_indented(line: Line, geo: _Geometry) -> bool:
    return geo.positioned and line.x0 - geo.left > 6.0


def _set_as_header(previous: Line, line: Line) -> bool:
    """A bold, larger or heading-styled line under plain text starts something new, even
    when it opens in lower case ("iOS Engineer" under a bullet)."""
    heading = (line.style or "").casefold().startswith("heading")
    return (
        (line.bold and not previous.bold)
        or line.font_size > previous.font_size + 0.5
        or (heading and line.style != previous.style)
    )


def _continues(previous: Line, line: Line, geo: _Geometry, paragraph: bool) -> bool:
    """Whether `line` carries on the wrapped text of `previous`.

    A list item of its own (glyph or list style) never does; lower-case starts always
    continue. Otherwise, in positioned documents, a wrapped
    line sits close under a line that ran (nearly) to the right edge and did not end a
    sentence, while a new list item is usually set a little further down. In a
    paragraph (not a list, whose items may be set as tight as wrapped lines), a line set
    the same way that ends the sentence the previous line left open carries it on too.
    """
    text = line.text.strip()
    if not text or line.bullet or _set_as_header(previous, line):
        return False  # a line with its own list glyph (or list style) is a new item
    if text[0].islower():
        return True
    if not geo.positioned or previous.text.rstrip().endswith(_END_PUNCT):
        return False
    wide = previous.x1 >= geo.left + 0.85 * (geo.right - geo.left)
    size = max(previous.font_size, 1.0)
    close_below = 0 < line.y1 - previous.y1 < 1.25 * size
    if not (close_below and abs(previous.x0 - line.x0) < 4):
        return False
    # a short line that closes the sentence the previous one left open ("Calculator.")
    return wide or (paragraph and _same_style(previous, line) and ends_sentence(text))


def _fills_its_cell(last: Line, line: Line, cell_right: float | None) -> bool:
    """Whether the first word of `line` would not have fitted after the header `last`
    before the next cell of its row (dates or a web address printed beside it)."""
    text = line.text.strip()
    if cell_right is None or not text or line.x1 <= line.x0:
        return False
    per_char = (line.x1 - line.x0) / len(text)
    word = len(text.split()[0]) + 1  # and the space before it
    return last.x1 + word * per_char >= cell_right - _CELL_PADDING


_CELL_PADDING = 12.0


def _wraps_header(
    last: Line, previous: Line, line: Line, geo: _Geometry, section: Sequence[Line] = ()
) -> bool:
    """Whether `line` is the wrapped rest of the header `last` ("Associate Automation" /
    "Engineer", "Software Engineer" / "(Contract)").

    A header only wraps when something filled its line: `previous` (the header itself, or
    the web address printed beside it) ran to the right edge, or the header ran so close
    to the next cell of its row (`_cell_right` among the `section` lines, where the dates
    beside it start) that the next word could not follow it. The rest sits close under
    the header in the same style, and reads as a continuation: it opens a parenthesis or
    starts lower-case, or it completes a title ("... Automation" + "Engineer"). A header
    that left a parenthesis open wrapped, whatever filled its line.
    """
    text, head = line.text.strip(), last.text.strip()
    if not (geo.positioned and text and head) or len(text.split()) > 4:
        return False
    size = max(last.font_size, 1.0)
    under = (
        abs(last.x0 - line.x0) < 3
        and abs(last.font_size - line.font_size) < 0.3
        and 0 < line.y1 - last.y1 < 1.4 * size
    )
    if not under:
        return False
    if head.count("(") > head.count(")"):  # "Lead (Collaboration," / "Portal, NET)"
        return True
    placed = previous.x1 >= geo.left + 0.85 * (geo.right - geo.left) or _fills_its_cell(
        last, line, _cell_right(last, section)
    )
    if not placed:
        return False
    if text[0] in "([" or text[0].islower():
        return True
    if _OPEN_END_RE.search(head):  # "... School of Electrotechnics and" / "IT, Frenstat"
        return True
    return title_score(head) < 2 and title_score(f"{head} {text}") == 2


def _styled_as_header(line: Line, body_size: float) -> bool:
    """Bold, larger than the body, or in a heading paragraph style: a long organisation or
    school name set this way is still a header ("Industrial High School of ... and IT")."""
    return (
        line.bold
        or (body_size > 0 and line.font_size >= body_size * 1.25)
        or (line.style or "").casefold().startswith("heading")
    )


def _is_body_under_bold_headers(entry: Entry, line: Line, words: int) -> bool:
    """A plain sentence under bold headers is the entry's summary, not the next entry."""
    return (
        words >= 4
        and not line.bold
        and entry.dates is not None
        and len(entry.headers) >= 2
        and all(h.bold for h in entry.headers)
    )


def _is_more_body_under_bold_headers(
    entry: Entry, line: Line, words: int, body_size: float
) -> bool:
    """An entry whose headers are all bold (employer and role, or a role under bold dates)
    opens with a bold line: a plain short line after its body ("Managed warehouse fulfillment.",
    "Java", a list printed without glyphs) is more of the body, not the next entry."""
    return (
        words >= 1
        and not _styled_as_header(line, body_size)
        and (len(entry.headers) >= 2 or (len(entry.headers) == 1 and entry.dates_bold))
        and all(h.bold for h in entry.headers)
    )


_NAME_SEPARATORS = frozenset({"-", "–", "—", "|", "/", "&"})


def _word_count(text: str) -> int:
    """Words, not the separators between names: "Lakeside - Institute of Technology" has
    four. (A middle dot still counts: it separates the items of a list, which is body.)"""
    tokens = text.split()
    if _NAME_SEPARATORS.isdisjoint(tokens):
        return len(tokens)
    return sum(1 for token in tokens if token not in _NAME_SEPARATORS)


def _same_style(a: Line, b: Line) -> bool:
    return a.bold == b.bold and abs(a.font_size - b.font_size) < 0.3


def _repeats_header(entry: Entry, text: str) -> bool:
    """The text of the header just read, again: a page break that printed the header row
    twice, or a summary that says nothing but the role. ("Acme" / "Role" / "Acme" is the
    next entry at the same employer, not a repeat.)"""
    return bool(entry.headers) and entry.headers[-1].text.strip().casefold() == text.casefold()


def _same_row(a: Line, b: Line) -> bool:
    return a.page == b.page and abs(a.y1 - b.y1) <= 0.5 * max(min(a.font_size, b.font_size), 1.0)


def _restarts_header_cycle(headers: list[Line], line: Line) -> bool:
    """Undated entries set as "Company" (one style) / "Role" (another style): a header in
    the first header's style after one in another style opens the next entry."""
    return (
        len(headers) >= 2
        and _same_style(headers[0], line)
        and not _same_style(headers[-1], headers[0])
    )


def _cell_right(last: Line, lines: Sequence[Line]) -> float | None:
    """Where the next cell of the row of the header `last` starts (dates or a web address
    set beside the header), if anything stands to its right."""
    right = [ln.x0 for ln in lines if ln.x0 > last.x1 and _same_row(ln, last)]
    return min(right) if right else None


def _ends(opening: DateRange | None, date: DateRange) -> TypeGuard[DateRange]:
    """Whether `date`, a lone date on the line after the lone date `opening`, closes it."""
    return (
        opening is not None
        and opening.end is None
        and not opening.ongoing
        and date.end is None
        and not date.ongoing
        and opening.start is not None
        and date.start is not None
        and opening.start < date.start
    )


def _completes_with_role(entry: Entry, text: str, header_score: Callable[[str], int]) -> bool:
    """ "Acme" / "Springfield" / dates / "Engineer": headers that name no role yet (an
    employer and a place no list knows) take the role printed under their dates.
    `header_score`: `title_score` of a header's `header_core` (see `_header_score`)."""
    return (
        not entry.has_body
        and len(entry.headers) <= 3
        and header_score(text) == 2
        and all(header_score(h.text) == 0 for h in entry.headers)
    )


def _header_score(text: str) -> int:
    return title_score(header_core(text))


def _cards_side_by_side(lines: list[Line]) -> list[Line]:
    """Entries set as cards in two columns ("School" | "School" / dates | dates / degree |
    degree) come out of extraction row by row, interleaved: read the left cards, then the
    right ones as if set under the left ones.

    Two columns of cards: at least two rows pair a line at the left edge with a line
    starting at one x further right, in the same style, one such pair naming something
    other than a date; and no line runs across that x. Dates set flush right beside an
    entry pair in another style and never name anything else.
    """
    if len(lines) < 4 or any(ln.x1 <= 0 for ln in lines):
        return lines
    left = min(ln.x0 for ln in lines)
    far = left + 100
    if all(ln.x0 <= far for ln in lines):
        return lines  # nothing starts far enough right to pair with a line at the left edge
    pairs: list[tuple[Line, Line]] = []
    ordered = sorted(lines, key=lambda ln: (ln.page, ln.y1))
    for index, a in enumerate(ordered):  # neighbours in reading order share a row
        if abs(a.x0 - left) > 3:
            continue
        reach = a.x1 + 10
        for b in ordered[max(0, index - 3) : index + 4]:
            if b.x0 > reach and b.x0 > far and b is not a and _same_row(a, b):
                pairs.append((a, b))
    styled = [(a, b) for a, b in pairs if _same_style(a, b)]
    if len(styled) < 2:
        return lines
    split = min(b.x0 for _, b in styled)
    if any(abs(b.x0 - split) > 3 for _, b in styled):
        return lines
    if all(find_date_range(a.text) or find_date_range(b.text) for a, b in styled):
        return lines
    if any(ln.x0 < split - 3 and ln.x1 > split + 3 for ln in lines):
        return lines
    shift = split - left  # the right cards read as if set under the left ones
    return [ln for ln in lines if ln.x0 < split - 3] + [
        ln.model_copy(update={"x0": ln.x0 - shift, "x1": ln.x1 - shift})
        for ln in lines
        if ln.x0 >= split - 3
    ]


def split_entries(lines: list[Line]) -> list[Entry]:
    lines = _cards_side_by_side(lines)
    geo = _geometry(lines)
    body_size = section_body_size(lines)  # the font size most characters of the section use
    entries: list[Entry] = []
    current = Entry()
    previous: Line | None = None
    previous_kind = ""
    body_left: float | None = None
    repeated_row: Line | None = None  # a header row a page break printed twice
    header_scores: dict[str, int] = {}

    def header_score(text: str) -> int:
        """`title_score` of the `header_core` of a text, once per text of the section."""
        score = header_scores.get(text)
        if score is None:
            score = header_scores[text] = _header_score(text)
        return score

    def close() -> None:
        nonlocal current
        if current.headers or current.dates or current.has_body:
            entries.append(current)
        current = Entry()

    for line in lines:
        text = line.text.strip()
        if not text or (repeated_row is not None and _same_row(repeated_row, line)):
            continue
        if _label(text):
            previous, previous_kind = line, "label"
            continue
        if _DURATION_RE.fullmatch(text):
            continue  # a job's length on a line of its own, beside or under its dates
        if _BROKEN_DATE_RE.match(text):  # a theme printed a date it could not format
            if current.has_body or current.dates is not None:
                close()
            previous, previous_kind = line, "date"
            continue
        words = _word_count(text)
        dates = find_date_range(text) if words <= 12 else None
        if (
            dates is None
            and not _LETTER_RE.search(text)
            and (words <= 12 or find_date_range(text) is None)
        ):
            continue  # stray numbers (hidden machine-readable dates, page numbers)
        rest = text.replace(dates.text, " ").strip(" |,·•-–—()") if dates else text
        if dates is not None:
            rest = _DURATION_RE.sub(" ", rest).strip(" |,·•-–—()")
        if dates is not None and not _LETTER_RE.search(rest):
            rest = ""  # leftovers such as a machine-readable copy of the date
        is_bullet = line.bullet or (
            _is_indented(line, geo) and body_left is not None and line.x0 > body_left + 6
        )
        if (
            previous is not None
            and previous_kind in ("bullet", "text")
            and dates is None
            and _continues(previous, line, geo, previous_kind == "text")
            and (is_bullet or previous_kind == "text" or line.x0 >= previous.x0 - 1)
        ):
            target = current.bullets if previous_kind == "bullet" else current.text
            if target:
                target[-1] = f"{target[-1]} {text}"
                previous = line
                continue
        if dates is not None and len(rest.split()) <= 6:
            if not rest and previous_kind == "date" and _ends(current.dates, dates):
                current.dates = DateRange(
                    current.dates.start, dates.start, False, f"{current.dates.text} {dates.text}"
                )  # "2018" over "2021": a range set as a column
                previous = line
                continue
            if current.dates is not None or current.has_body:
                close()
            current.dates = dates
            current.dates_bold = line.bold
            if rest:
                if looks_like_location(rest) and current.location is None:
                    current.location = _place(rest)
                else:
                    current.headers.append(line.model_copy(update={"text": rest}))
            previous, previous_kind = line, "date"
            continue
        if _URL_ONLY_RE.match(text):
            current.urls.append(text.split()[0])
            previous, previous_kind = line, "url"
            continue
        inline_url = _INLINE_URL_RE.search(text) if "www." in text or "http" in text else None
        if inline_url and words <= MAX_HEADER_WORDS:  # "Engineer   https://acme.com (…)"
            current.urls.append(inline_url.group(1))
            text = (text[: inline_url.start()] + text[inline_url.end() :]).strip()
            line = line.model_copy(update={"text": text})
            words = _word_count(text)
            if not text:
                continue
        if is_bullet:
            current.bullets.append(text)
            previous, previous_kind = line, "bullet"
            continue
        wide = geo.measured and line.x1 >= geo.left + 0.7 * (geo.right - geo.left)
        styled = _styled_as_header(line, body_size)
        short = (
            words <= MAX_HEADER_WORDS or (styled and words <= MAX_STYLED_HEADER_WORDS)
        ) and not (words >= 4 and ends_sentence(text))
        if _SCORE_LINE_RE.match(text) or (
            wide and words >= 6 and not styled and title_score(text) < 2
        ):
            short = False
        if (
            short
            and current.headers
            and not current.has_body
            and previous is not None
            and (
                previous_kind in ("header", "url")
                or (previous_kind == "date" and _same_row(previous, current.headers[-1]))
            )
            and _wraps_header(
                current.headers[-1],
                current.headers[-1] if previous_kind == "date" else previous,
                line,
                geo,
                lines,
            )
        ):
            last = current.headers[-1]
            current.headers[-1] = last.model_copy(update={"text": f"{last.text.strip()} {text}"})
            previous, previous_kind = line, "header"
            continue
        if short and not current.has_body and _is_body_under_bold_headers(current, line, words):
            short = False
        if (
            short
            and current.has_body
            and previous_kind in ("text", "bullet")
            and _is_more_body_under_bold_headers(current, line, words, body_size)
        ):
            short = False
        if short and not current.has_body and _repeats_header(current, text) and previous:
            if line.page != previous.page:
                repeated_row = line
                continue
            if previous_kind in ("header", "url"):  # not "Engineer" / dates / "Engineer"
                current.text.append(text)  # a summary that only repeats the role
                previous, previous_kind = line, "text"
                continue
        if short:
            if (
                current.location is None
                and (current.dates is not None or current.headers)
                and looks_like_location(text)
            ):
                current.location = _place(text)
            elif (
                current.has_body
                or (
                    _restarts_header_cycle(current.headers, line)
                    and not _completes_with_role(current, text, header_score)
                )
                or (
                    current.dates is not None
                    and (
                        (
                            len(current.headers) >= 2
                            and not _completes_with_role(current, text, header_score)
                        )
                        or (
                            header_score(text) == 2
                            and any(header_score(h.text) == 2 for h in current.headers)
                        )
                    )
                )
            ):
                close()
                current.headers.append(line)
            else:
                current.headers.append(line)
            if body_left is None or line.x0 < body_left:
                body_left = line.x0
            previous, previous_kind = line, "header"
            continue
        current.text.append(text)
        if body_left is None:
            body_left = line.x0
        previous, previous_kind = line, "text"
    close()
    return entries


_SPLIT_RE = re.compile(r"\s+(?:at|@|\||–|—|-|·|•)\s+|,\s+|\t+|\s{3,}")
_PARENS_RE = re.compile(r"\([^)]*\)")


def split_header(text: str) -> list[str]:
    """'Engineer at Acme' / 'Acme | Engineer' / 'Engineer, Acme' / 'Acme<tab>Engineer' →
    its parts.

    Separators inside parentheses ("Engineer (Freelance, Part-time)") do not split.
    """
    masked = _PARENS_RE.sub(lambda m: "\0" * len(m.group()), text)
    parts: list[str] = []
    start = 0
    for match in _SPLIT_RE.finditer(masked):
        parts.append(text[start : match.start()].strip())
        start = match.end()
    parts.append(text[start:].strip())
    parts = [p for p in parts if p]
    return parts if len(parts) in (2, 3) else [text.strip()]
