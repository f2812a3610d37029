"""Reading "City, Region, Country" style lines. Conservative: the last part must be a
known country, US state, Canadian province or a two-letter code, so that a line like
"Engineer, Acme" is never taken for a place."""

from __future__ import annotations

import re

from cvlens.analysis.parse.roles import title_score
from cvlens.analysis.resume import Location

COUNTRIES = {
    "afghanistan": "AF", "albania": "AL", "algeria": "DZ", "argentina": "AR", "armenia": "AM",
    "australia": "AU", "austria": "AT", "azerbaijan": "AZ", "bangladesh": "BD", "belarus": "BY",
    "belgium": "BE", "bolivia": "BO", "bosnia and herzegovina": "BA", "brazil": "BR",
    "bulgaria": "BG", "cambodia": "KH", "cameroon": "CM", "canada": "CA", "chile": "CL",
    "china": "CN", "colombia": "CO", "costa rica": "CR", "croatia": "HR", "cuba": "CU",
    "cyprus": "CY", "czech republic": "CZ", "czechia": "CZ", "denmark": "DK",
    "dominican republic": "DO", "ecuador": "EC", "egypt": "EG", "el salvador": "SV",
    "estonia": "EE", "ethiopia": "ET", "finland": "FI", "france": "FR", "georgia": "GE",
    "germany": "DE", "ghana": "GH", "greece": "GR", "guatemala": "GT", "honduras": "HN",
    "hong kong": "HK", "hungary": "HU", "iceland": "IS", "india": "IN", "indonesia": "ID",
    "iran": "IR", "iraq": "IQ", "ireland": "IE", "israel": "IL", "italy": "IT", "jamaica": "JM",
    "japan": "JP", "jordan": "JO", "kazakhstan": "KZ", "kenya": "KE", "korea": "KR",
    "south korea": "KR", "kuwait": "KW", "latvia": "LV", "lebanon": "LB", "lithuania": "LT",
    "luxembourg": "LU", "malaysia": "MY", "malta": "MT", "mexico": "MX", "moldova": "MD",
    "morocco": "MA", "nepal": "NP", "netherlands": "NL", "the netherlands": "NL",
    "new zealand": "NZ", "nicaragua": "NI", "nigeria": "NG", "north macedonia": "MK",
    "norway": "NO", "pakistan": "PK", "panama": "PA", "paraguay": "PY", "peru": "PE",
    "philippines": "PH", "poland": "PL", "portugal": "PT", "puerto rico": "PR", "qatar": "QA",
    "romania": "RO", "russia": "RU", "russian federation": "RU", "saudi arabia": "SA",
    "senegal": "SN", "serbia": "RS", "singapore": "SG", "slovakia": "SK", "slovenia": "SI",
    "south africa": "ZA", "spain": "ES", "sri lanka": "LK", "sweden": "SE", "switzerland": "CH",
    "taiwan": "TW", "tanzania": "TZ", "thailand": "TH", "tunisia": "TN", "turkey": "TR",
    "turkiye": "TR", "uganda": "UG", "ukraine": "UA", "united arab emirates": "AE", "uae": "AE",
    "united kingdom": "GB", "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "united states": "US", "united states of america": "US", "usa": "US", "us": "US",
    "uruguay": "UY", "uzbekistan": "UZ", "venezuela": "VE", "vietnam": "VN", "viet nam": "VN",
    "zimbabwe": "ZW",
}  # fmt: skip

REGIONS = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "florida": "FL", "hawaii": "HI",
    "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS",
    "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD",
    "massachusetts": "MA", "michigan": "MI", "minnesota": "MN", "mississippi": "MS",
    "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV", "new hampshire": "NH",
    "new jersey": "NJ", "new mexico": "NM", "new york": "NY", "north carolina": "NC",
    "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN",
    "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
    "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY", "district of columbia": "DC",
    "ontario": "ON", "quebec": "QC", "british columbia": "BC", "alberta": "AB",
    "manitoba": "MB", "nova scotia": "NS", "saskatchewan": "SK", "new brunswick": "NB",
    "bavaria": "BY", "berlin": "BE", "catalonia": "CT", "ile de france": "IDF",
}  # fmt: skip

_INSTITUTION_RE = re.compile(
    r"universi|college|school|institut|academy|polytechn|\bbank\b|company|\bcorp|\binc\b",
    re.IGNORECASE,
)
_CODE_RE = re.compile(r"^[A-Z]{2}$")
_PLACE_WORD_RE = re.compile(r"^[A-ZÀ-Þ][\w.'’-]*$|^(?:de|del|la|le|am|upon|on|sur)$")
_BAD_CHARS_RE = re.compile(r"[@/:|\d•]")


_CODES = set(COUNTRIES.values()) | set(REGIONS.values())
_LAST_WORDS = frozenset(name.split()[-1] for name in (*COUNTRIES, *REGIONS))


def _is_region(text: str) -> bool:
    low = text.casefold().strip(" .")
    code = text.strip()
    return low in COUNTRIES or low in REGIONS or (bool(_CODE_RE.match(code)) and code in _CODES)


def _country_code(text: str) -> str | None:
    low = text.casefold().strip(" .")
    if low in COUNTRIES:
        return COUNTRIES[low]
    stripped = text.strip()
    if len(stripped) == 2 and stripped.isupper() and stripped not in REGIONS.values():
        return stripped
    return None


def _is_city(text: str) -> bool:
    words = text.split()  # the cheap tests first: most texts fail them
    if not 1 <= len(words) <= 3 or not all(_PLACE_WORD_RE.match(w) for w in words):
        return False
    return not (_INSTITUTION_RE.search(text) or title_score(text))


_INNER_PARENS_RE = re.compile(r",?\s*\(([^()]+)\)")
_NOT_ADDRESS_RE = re.compile(r"[@/:|•·]")


def _plain_place(text: str) -> str:
    """ "Nice (FR)," / "Nice, (FR)" → "Nice, FR"; "(Saint-Petersburg, Russia)" → without
    the parentheses; street and postal-code parts of an address dropped
    ("108 Main St, AL 35124, Birmingham, Alabama" → "Birmingham, Alabama")."""
    value = text.strip().strip(",;").strip()
    if "(" in value:
        if value.startswith("(") and value.endswith(")") and value.count("(") == 1:
            value = value[1:-1].strip()
        value = _INNER_PARENS_RE.sub(lambda m: f", {m.group(1).strip()}", value).strip(" ,")
    if value.count(",") < 2:
        return value
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if len(parts) >= 3 and not _NOT_ADDRESS_RE.search(value):
        kept = [p for p in parts if not any(c.isdigit() for c in p)]
        if kept and len(kept) < len(parts):
            value = ", ".join(kept)
    return value


_STREET_RE = re.compile(
    r"^\d+[A-Za-z]?\s+(?:[A-Z0-9][\w.'’-]*\s+){1,4}?"
    r"(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|"
    r"Trl|Trail|Hwy|Highway|Pkwy|Parkway|Sq|Square|Ter|Terrace|Cir|Circle)\.?,?\s+",
    re.IGNORECASE,
)


def street_prefix(text: str) -> str | None:
    """ "2712 Broadway St " in "2712 Broadway St San Francisco California CA": a street
    number, up to four words and a street type, opening the text."""
    found = _STREET_RE.match(text.strip())
    return found.group(0) if found else None


def _is_region_run(text: str) -> bool:
    """ "California" or "California CA": one or more regions, countries or codes."""
    if _is_region(text):
        return True
    words = text.split()
    return 1 < len(words) <= 4 and _is_region(words[-1]) and _is_region_run(" ".join(words[:-1]))


def _may_end_with_region(words: list[str]) -> bool:
    """False when no run of the last words can be a region, country or code: such a run
    (`_is_region`) is a code, or its last word that is more than full stops is the last
    word of a name."""
    if words[-1] in _CODES:
        return True
    for word in reversed(words):
        last = word.casefold().strip(".")
        if last:
            return last in _LAST_WORDS
    return False


def split_location(text: str) -> Location | None:
    """A Location when `text` is nothing but a place (or a postal address), else None."""
    if len(text) > 120:
        return None
    value = _plain_place(text)
    street = street_prefix(value) if "," not in value else None
    if street is not None:  # a postal address without commas: the place follows the street
        rest = value.strip()[len(street) :].split()
        value = " ".join(w for w in rest if not any(c.isdigit() for c in w))
    if not value or len(value) > 60 or _BAD_CHARS_RE.search(value):
        return None
    if "," in value:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        known = len(parts) <= 3 or all(_is_region_run(p) for p in parts[1:])
        if 2 <= len(parts) <= 4 and known and _is_region_run(parts[-1]) and _is_city(parts[0]):
            rest = parts[1:]  # "Alabama, US" or "US, Alabama"
            code = next((c for c in (_country_code(t) for t in reversed(rest)) if c), None)
            region = next((t for t in rest if _country_code(t) is None), None)
            return Location(city=parts[0], region=region, countryCode=code)
        return None
    words = value.split()
    if len(words) < 2 or len(words) > 6 or not _may_end_with_region(words):
        return None
    tail: list[str] = []
    # peel known regions/countries/codes off the end, longest names first
    while len(words) > 1:
        for size in (3, 2, 1):
            if len(words) - size >= 1 and _is_region(" ".join(words[-size:])):
                tail.insert(0, " ".join(words[-size:]))
                words = words[:-size]
                break
        else:
            break
    city = " ".join(words)
    if not tail or not _is_city(city):
        return None
    code = next((c for c in (_country_code(t) for t in reversed(tail)) if c), None)
    region = next((t for t in tail if _country_code(t) is None), None)
    return Location(city=city, region=region, countryCode=code)
