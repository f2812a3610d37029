"""Résumé dates → ISO `YYYY-MM` / `YYYY`, and date ranges with "Present".

Understands "Jan 2020", "January 2020", "01/2020", "2020-01", "2020-01-15", "2020/01",
"2020.01", "2020", "Summer 2018", "Q3 2019", and ranges joined by "-", "–", "—" or "to";
an open end ("Present", "Current", "Now", "ongoing", nothing after the dash, or "since"
before the start) means no end date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_QUARTERS = {"q1": 1, "q2": 4, "q3": 7, "q4": 10}

_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_SINGLE = (
    rf"(?:{_YEAR}-(?:0?[1-9]|1[0-2])(?:-\d{{1,2}})?"  # 2020-01 / 2020-01-15
    rf"|{_YEAR}[/.](?:0?[1-9]|1[0-2])(?![\d.])"  # 2020/01, 2020.01
    rf"|(?:0?[1-9]|1[0-2])[/.]{_YEAR}"  # 01/2020
    rf"|(?:\d{{1,2}}\s+)?{_MONTH_NAME},?\s+{_YEAR}"  # Jan 2020 / 15 January 2020
    rf"|(?:spring|summer|fall|autumn|winter|q[1-4])\s+{_YEAR}"  # Summer 2018
    rf"|{_YEAR})"
)
_OPEN = r"(?:present|current(?:ly)?|now|today|ongoing|till date|to date|heute|actuel)"
_SEP = r"\s*(?:-|–|—|−|~|to|until|till|→)\s*"

DATE_RANGE_RE = re.compile(
    rf"(?<![\w/.-])(?P<start>{_SINGLE})(?:{_SEP}(?P<end>{_SINGLE}|{_OPEN})?(?:\s*\([^)]*\))?)?"
    rf"(?![\w/-])",
    re.IGNORECASE,
)
_OPEN_RE = re.compile(rf"^{_OPEN}$", re.IGNORECASE)
_SINCE_RE = re.compile(r"\b(?:since|from|seit|desde|depuis)\s*$", re.IGNORECASE)
# The forms `parse_date` reads, each matched against the whole (lower-cased) text.
_YEAR_MONTH_DAY_RE = re.compile(rf"({_YEAR})-(\d{{1,2}})(?:-\d{{1,2}})?")
_YEAR_MONTH_RE = re.compile(rf"({_YEAR})[/.](\d{{1,2}})")
_MONTH_YEAR_RE = re.compile(rf"(\d{{1,2}})[/.]({_YEAR})")
_NAMED_YEAR_RE = re.compile(rf"(?:\d{{1,2}}\s+)?([a-z]+)\.?,?\s+({_YEAR})")
_YEAR_RE = re.compile(_YEAR)


@dataclass(frozen=True, slots=True)
class DateRange:
    start: str | None
    end: str | None
    ongoing: bool
    text: str
    """The exact text the range was read from (to remove it from the line)."""


def parse_date(text: str) -> str | None:
    """One date → "YYYY-MM" or "YYYY"; None when the text holds no date."""
    value = text.strip().lower().rstrip(".")
    match = _YEAR_MONTH_DAY_RE.fullmatch(value)
    if match:
        return _iso(match.group(1), int(match.group(2)))
    match = _YEAR_MONTH_RE.fullmatch(value)
    if match:
        return _iso(match.group(1), int(match.group(2)))
    match = _MONTH_YEAR_RE.fullmatch(value)
    if match:
        month = int(match.group(1))
        return _iso(match.group(2), month) if 1 <= month <= 12 else None
    match = _NAMED_YEAR_RE.fullmatch(value)
    if match:
        word = match.group(1)
        named = _MONTHS.get(word[:4] if word.startswith("sept") else word[:3])
        named = named or _SEASONS.get(word) or _QUARTERS.get(word)
        return _iso(match.group(2), named) if named else match.group(2)
    match = _YEAR_RE.fullmatch(value)
    return match.group(0) if match else None


def _iso(year: str, month: int | None) -> str:
    if month is None or not 1 <= month <= 12:
        return year
    return f"{year}-{month:02d}"


def find_date_range(text: str) -> DateRange | None:
    """The first date or date range in `text`, or None.

    Every date form holds a year, and every year starts "19" or "20": most lines of a
    résumé hold neither and skip the regex.
    """
    if "19" not in text and "20" not in text:
        return None
    for match in DATE_RANGE_RE.finditer(text):
        start = parse_date(match.group("start"))
        if start is None:
            continue
        end_text = match.group("end")
        has_separator = match.group(0).strip() != match.group("start").strip()
        since = _SINCE_RE.search(text[: match.start()])
        found = text[since.start() : match.end()] if since else match.group(0)
        if end_text is None:
            ongoing = has_separator or since is not None
            end = None
        elif _OPEN_RE.match(end_text.strip()):
            ongoing, end = True, None
        else:
            end = parse_date(end_text)
            ongoing = False
        return DateRange(start=start, end=end, ongoing=ongoing, text=found)
    return None
