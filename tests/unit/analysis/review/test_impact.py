"""Impact checks: quantified bullets, action verbs, filler phrases, first person."""

from __future__ import annotations

from cvlens.analysis.resume import Work
from cvlens.analysis.review import Finding, review_resume
from cvlens.analysis.review.lexicon import is_action_verb

from .builders import document_from, good_document_lines, good_resume


def _review_with(bullets: list[str]) -> list[Finding]:
    resume = good_resume().model_copy(
        update={"work": [Work(name="Acme", position="Engineer", highlights=bullets)]}
    )
    lines = [*good_document_lines(), *[f"• {b}" for b in bullets]]
    return review_resume(resume, document_from(lines)).findings


def test_unquantified_bullets_are_reported_with_their_exact_line() -> None:
    bullets = [
        "Improved the deployment process for the platform team across regions.",
        "Rewrote the search page with a cleaner design and better filters.",
    ]

    findings = [f for f in _review_with(bullets) if f.id == "impact.unquantified"]

    assert [f.evidence.line for f in findings] == bullets
    assert all(f.evidence.section == "work" for f in findings)


def test_quantified_bullets_raise_no_unquantified_finding() -> None:
    bullets = ["Cut cloud spend by $40k a year by rightsizing 120 instances."]

    assert not [f for f in _review_with(bullets) if f.id == "impact.unquantified"]


def test_bullets_not_opening_with_an_action_verb_are_flagged() -> None:
    bullets = ["The checkout flow was redesigned, lifting conversion by 8%."]

    findings = [f for f in _review_with(bullets) if f.id == "impact.action_verb"]

    assert len(findings) == 1
    assert "'The'" in findings[0].message


def test_action_verbs_accept_past_and_present_forms() -> None:
    for word in ["Led", "lead", "Designed", "design", "Built", "build", "optimizes", "Analyzed"]:
        assert is_action_verb(word), word
    for word in ["The", "Responsible", "Was", "Team"]:
        assert not is_action_verb(word), word


def test_filler_phrases_are_each_reported() -> None:
    bullets = ["Responsible for the API gateway; worked on 3 migrations with 2 teams."]

    findings = [f for f in _review_with(bullets) if f.id == "impact.filler"]

    assert sorted(f.message.split("'")[1].lower() for f in findings) == [
        "responsible for",
        "worked on",
    ]
    assert findings[0].evidence.line == bullets[0]


def test_filler_matches_whole_words_only() -> None:
    bullets = ["Reworked 4 services; etcd cluster upgraded with zero downtime."]

    assert not [f for f in _review_with(bullets) if f.id == "impact.filler"]


def test_first_person_is_flagged_but_not_inside_other_words() -> None:
    flagged = _review_with(["I migrated 40 services to Kubernetes in my first year."])
    clean = _review_with(["Migrated 40 services to Kubernetes; improved MIME handling."])

    assert [f.id for f in flagged if f.id == "impact.first_person"] == ["impact.first_person"]
    assert not [f for f in clean if f.id == "impact.first_person"]


def test_no_bullets_at_all_is_critical() -> None:
    resume = good_resume().model_copy(update={"work": [Work(name="Acme", position="Engineer")]})

    review = review_resume(resume, document_from(good_document_lines()))

    assert any(f.id == "impact.no_bullets" and f.severity == "critical" for f in review.findings)


def test_lone_keywords_and_links_are_not_judged_as_achievements() -> None:
    bullets = ["Java", "https://example.com/project", "Cut p95 latency by 40% with caching."]

    findings = _review_with(bullets)

    assert not [f for f in findings if f.id in ("impact.unquantified", "impact.action_verb")]


def test_re_prefixed_verbs_count_as_action_verbs() -> None:
    assert is_action_verb("Rebuild")
    assert is_action_verb("Redesign")
    assert not is_action_verb("Regularly")
    assert not is_action_verb("Rest")


def test_filler_findings_are_capped_but_every_occurrence_costs_points() -> None:
    bullets = [f"Responsible for release {n} of the API; worked on 3 services." for n in range(6)]
    resume = good_resume().model_copy(
        update={"work": [Work(name="Acme", position="Engineer", highlights=bullets)]}
    )

    review = review_resume(resume, document_from(good_document_lines()))

    fillers = [f for f in review.findings if f.id == "impact.filler"]
    assert len(fillers) == 5
    impact = next(d for d in review.dimensions if d.name == "impact")
    assert impact.score <= 80  # the filler check (weight 0.2) scored 0 after 12 phrases
