from __future__ import annotations

import pytest

from cvlens.analysis.parse.dates import find_date_range, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan 2020", "2020-01"),
        ("January 2020", "2020-01"),
        ("Sept. 2019", "2019-09"),
        ("01/2020", "2020-01"),
        ("2020-01", "2020-01"),
        ("2020-01-15", "2020-01"),
        ("2020", "2020"),
        ("Summer 2018", "2018-06"),
        ("15 March 2021", "2021-03"),
        ("hello", None),
        ("13/2020", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "start", "end", "ongoing"),
    [
        ("2019 – Present", "2019", None, True),
        ("Jan 2020 - Mar 2021", "2020-01", "2021-03", False),
        ("March 2017 to June 2019", "2017-03", "2019-06", False),
        ("2015-10-01 — 2016-08-01", "2015-10", "2016-08", False),
        ("2017-05-01 —", "2017-05", None, True),
        ("06/2020 - Current", "2020-06", None, True),
        ("Summer 2018", "2018-06", None, False),
        ("Acme, Paris | Sep 2001 – Aug 2005", "2001-09", "2005-08", False),
    ],
)
def test_find_date_range(text: str, start: str, end: str | None, ongoing: bool) -> None:
    found = find_date_range(text)
    assert found is not None
    assert (found.start, found.end, found.ongoing) == (start, end, ongoing)
    assert found.text in text


def test_no_date() -> None:
    assert find_date_range("Led a team of 5 engineers") is None


def test_year_first_dotted_or_slashed_months_and_since() -> None:
    found = find_date_range("2019.04 – 2020.05")
    assert found is not None and (found.start, found.end) == ("2019-04", "2020-05")
    found = find_date_range("2019/04 - present")
    assert found is not None and (found.start, found.ongoing) == ("2019-04", True)
    found = find_date_range("Fabrikam, since March 2018")
    assert found is not None and (found.start, found.end, found.ongoing) == ("2018-03", None, True)
    assert found.text == "since March 2018"
