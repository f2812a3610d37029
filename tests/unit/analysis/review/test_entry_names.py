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


def test_equal_resumes_have_equal_names() -> None:
    assert entry_names(good_resume()) == entry_names(good_resume())
    assert "ada lovelace" in entry_names(good_resume())
