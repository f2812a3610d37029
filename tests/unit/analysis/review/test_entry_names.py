"""Entry names are asked for by review and by match; the second ask must still be current."""

from __future__ import annotations

from cvlens.analysis.resume import Work
from cvlens.analysis.review.context import entry_names

from .builders import good_resume


def test_names_of_a_resume_changed_between_two_asks_are_its_current_names() -> None:
    resume = good_resume()
    before = entry_names(resume)
    resume.work.append(Work(name="Northwind Traders", position="Platform Lead"))
    after = entry_names(resume)
    assert {"northwind traders", "platform lead"} <= after
    assert not {"northwind traders", "platform lead"} & before
    assert entry_names(resume) == after


def test_names_hold_people_employers_and_roles() -> None:
    resume = good_resume()
    names = entry_names(resume)
    assert "ada lovelace" in names
    assert {w.name.casefold() for w in resume.work if w.name} <= names
