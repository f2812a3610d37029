"""The `basics` block: name, label, contact facts, summary and location."""

from __future__ import annotations

import re

from cvlens.analysis.document import Line
from cvlens.analysis.parse.contact import (
    EMAIL_RE,
    NETWORK_NAMES,
    URL_RE,
    find_email,
    find_location,
    find_phone,
    find_profiles,
    find_website,
)
from cvlens.analysis.parse.dates import find_date_range
from cvlens.analysis.parse.headings import section_key
from cvlens.analysis.parse.places import split_location, street_prefix
from cvlens.analysis.parse.roles import title_score
from cvlens.analysis.parse.skills import LEVELS
from cvlens.analysis.resume import Basics, Location

_NAME_BAD_RE = re.compile(r"[@\d/:|•]|https?|www\.")
_CONTACT_LABELS = {
    "email", "e-mail", "mail", "phone", "telephone", "tel", "mobile", "cell", "website",
    "web", "url", "homepage", "address", "location", "linkedin", "github", "twitter",
    "city", "region", "state", "country", "postal code", "zip", "zip code",
}  # fmt: skip


def _is_contact(text: str) -> bool:
    low = text.strip().rstrip(":").casefold()
    return (
        low in _CONTACT_LABELS
        or bool(EMAIL_RE.search(text))
        or bool(URL_RE.search(text))
        or sum(c.isdigit() for c in text) >= 7
        or split_location(text) is not None
    )


def _name_index(header: list[Line]) -> int | None:
    candidates = [
        (i, ln)
        for i, ln in enumerate(header[:8])
        if 1 <= len(ln.text.split()) <= 6
        and not _NAME_BAD_RE.search(ln.text)
        and section_key(ln.text) is None
    ]
    if not candidates:
        return None
    biggest = max(ln.font_size for _, ln in candidates)
    for i, line in candidates:
        if line.font_size >= biggest - 0.5:
            return i
    return candidates[0][0]


def _label(header: list[Line], name_index: int, name: str) -> str | None:
    following = [ln for ln in header[name_index + 1 :] if ln.text.strip() != name]
    if not following:
        return None
    first = following[0]
    text = first.text.strip()
    if (
        len(text.split()) > 12
        or _is_contact(text)
        or text.endswith(".")
        or find_date_range(text) is not None
    ):
        return None
    parts = [text]
    for line in following[1:3]:  # a large label may wrap onto a second line
        if (
            abs(line.font_size - first.font_size) < 0.3
            and line.bold == first.bold
            and first.font_size > 12.5
            and not _is_contact(line.text)
            and len(line.text.split()) <= 6
        ):
            parts.append(line.text.strip())
        else:
            break
    return " ".join(parts)


_NEAR_LINES = 60
"""Contact facts are read from the top of the document only (bounded work on any input)."""
_CITY_WORDS_RE = re.compile(r"^[A-ZÀ-Þ][^\W\d_'’.-]*(?:[-'’. ][A-ZÀ-Þa-zß-ÿ]+){0,3}$")


def _lone_city(lines: list[Line], name_index: int | None) -> Location | None:
    """A bare place name ("Saint-Petersburg") set among the contact lines."""
    texts = [ln.text.strip() for ln in lines]
    for i, text in enumerate(texts):
        if i <= (name_index or 0) + 1 or not _CITY_WORDS_RE.match(text):
            continue
        low = text.casefold()
        if section_key(text) or low in _CONTACT_LABELS or low in NETWORK_NAMES:
            continue
        if title_score(text) or low in LEVELS:
            continue
        around = texts[max(0, i - 2) : i] + texts[i + 1 : i + 3]
        if any(EMAIL_RE.search(t) or sum(c.isdigit() for c in t) >= 7 for t in around):
            return Location(city=text)
    return None


def _wrapped_addresses(lines: list[Line]) -> list[str]:
    """An address set in a narrow box wraps: "108 Main St, Springfield," / "Illinois, US",
    or "2712 Broadway St San" / "Francisco California CA". A line that ends with a comma,
    holds a street number before a comma, or opens with a street, is joined with the line
    set just under it (same page and size, overlapping across)."""
    joined: list[str] = []
    for index, line in enumerate(lines):
        text = line.text.strip()
        street = "," in text and any(c.isdigit() for c in text.split(",")[0])
        if not (text.endswith(",") or street or street_prefix(text)):
            continue
        size = max(line.font_size, 1.0)
        for below in lines[index + 1 : index + 4]:
            if (
                below.page == line.page
                and abs(below.font_size - line.font_size) < 0.3
                and 0 < below.y1 - line.y1 < 1.6 * size
                and below.x0 < line.x1
                and line.x0 < below.x1
            ):
                joined.append(f"{text} {below.text.strip()}")
                break
    return joined


_NAME_AND_LABEL_RE = re.compile(
    r"^(?P<name>[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){1,4})\s*(?:,|\||\s[-–—]\s)\s*"
    r"(?P<label>\S.*)$"
)
_POST_NOMINALS = {
    "phd", "ph.d", "ph.d.", "mba", "md", "cpa", "pe", "jr", "jr.", "sr", "sr.", "ii", "iii",
}  # fmt: skip


def _name_line_split(header: list[Line]) -> list[Line]:
    """ "Dana Whitfield, Site Reliability Engineer" (or "|", " - ") set as one line in the
    largest type at the top: the name, then the label, as two lines."""
    top = header[:3]
    if not top:
        return header
    biggest = max(top, key=lambda ln: ln.font_size)
    if sum(1 for ln in top if ln.font_size >= biggest.font_size - 0.5) > 1:
        return header
    found = _NAME_AND_LABEL_RE.match(biggest.text.strip())
    if found is None:
        return header
    name, label = found["name"].strip(), found["label"].strip()
    if (
        title_score(name)
        or label.casefold().strip(" .") in _POST_NOMINALS
        or _is_contact(label)
        or len(label.split()) > 12
    ):
        return header
    at = header.index(biggest)
    smaller = biggest.model_copy(update={"text": label, "font_size": biggest.font_size - 1.0})
    return [*header[:at], biggest.model_copy(update={"text": name}), smaller, *header[at + 1 :]]


def parse_basics(
    header: list[Line],
    contact: list[Line],
    summary: list[Line],
    everything: list[Line],
    links: list[str],
    profile_lines: list[Line] | None = None,
) -> Basics:
    basics = Basics()
    header = _name_line_split(header)
    index = _name_index(header) if header else None
    if index is None and everything:
        index = _name_index(everything)
        header = everything
    if index is not None:
        basics.name = header[index].text.strip()
        basics.label = _label(header, index, basics.name)
    near = [ln.text for ln in header[:_NEAR_LINES] + contact[:_NEAR_LINES]]
    all_text = [ln.text for ln in everything]
    basics.email = find_email(near, links) or find_email(all_text, [])
    basics.phone = find_phone(near, links)
    basics.url = find_website(
        [t for t in near if not EMAIL_RE.fullmatch(t.strip())], basics.email, links
    )
    basics.profiles = find_profiles(near, links, [ln.text for ln in profile_lines or []])
    near_lines = header[:_NEAR_LINES] + contact[:_NEAR_LINES]
    basics.location = (
        find_location(_wrapped_addresses(near_lines))
        or find_location(near)
        or _lone_city(header + contact, index)
    )
    long_lines = [ln.text for ln in summary] or [
        ln.text
        for ln in header[(index or 0) + 1 :]
        if len(ln.text.split()) >= 3 and not _is_contact(ln.text)
    ][1:]
    basics.summary = " ".join(long_lines) if long_lines else None
    return basics
