"""The pipeline end to end on real bytes, and the exact JSON contract it produces."""

from __future__ import annotations

import json

import pytest
from fpdf import FPDF

from cvlens.analysis.errors import EmptyFileError, UnsupportedFormatError
from cvlens.analysis.pipeline import AnalysisResult, analyze_bytes

from .sample_resume import JOB_TXT, RESUME_TXT


def _pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    for line in text.splitlines():
        pdf.cell(0, 5, line.replace("–", "-"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def assert_contract(payload: dict[str, object], *, with_match: bool) -> None:
    """The top-level shape other tools rely on (DESIGN.md §8)."""
    assert list(payload) == ["resume", "review", "match", "document"]
    review = payload["review"]
    assert isinstance(review, dict)
    assert list(review) == ["score", "dimensions", "findings"]
    assert all(set(d) == {"name", "score", "weight"} for d in review["dimensions"])
    document = payload["document"]
    assert isinstance(document, dict)
    assert list(document) == ["format", "pages", "words", "columns", "has_text_layer"]
    if with_match:
        match = payload["match"]
        assert isinstance(match, dict)
        assert {"score", "matched", "missing", "partial"} <= set(match)
    else:
        assert payload["match"] is None
    json.dumps(payload)


def test_text_resume_with_job_produces_the_contract() -> None:
    result = analyze_bytes(RESUME_TXT.encode(), "jane.txt", JOB_TXT)

    payload = result.to_json()

    assert_contract(payload, with_match=True)
    assert payload["document"]["format"] == "txt"  # type: ignore[index]
    assert result.resume.basics.email == "jane.doe@example.com"
    assert 0 <= result.review.score <= 100
    assert result.match is not None
    matched = {item.requirement for item in result.match.matched}
    assert {"Go or Python", "PostgreSQL", "Kubernetes"} <= matched
    assert "Vue.js" in {item.requirement for item in result.match.partial}


def test_without_a_job_match_is_null() -> None:
    payload = analyze_bytes(RESUME_TXT.encode(), "jane.txt").to_json()

    assert_contract(payload, with_match=False)


def test_pdf_resume_goes_through_the_same_pipeline() -> None:
    result = analyze_bytes(_pdf(RESUME_TXT), "jane.pdf", JOB_TXT)

    assert_contract(result.to_json(), with_match=True)
    assert result.document.format == "pdf"
    assert result.document.has_text_layer


def test_progress_callback_reports_each_stage_in_order() -> None:
    seen: list[tuple[str, int]] = []

    analyze_bytes(
        RESUME_TXT.encode(), "jane.txt", JOB_TXT, on_stage=lambda s, p: seen.append((s, p))
    )

    assert seen == [("extract", 0), ("parse", 30), ("review", 60), ("match", 80), ("match", 100)]


def test_progress_without_job_ends_at_review() -> None:
    seen: list[tuple[str, int]] = []

    analyze_bytes(RESUME_TXT.encode(), "jane.txt", on_stage=lambda s, p: seen.append((s, p)))

    assert seen[-1] == ("review", 100)
    assert "match" not in {stage for stage, _ in seen}


@pytest.mark.parametrize(
    ("data", "error"),
    [(b"", EmptyFileError), (b"\x89PNG\r\n\x1a\n" + bytes(64), UnsupportedFormatError)],
)
def test_bad_input_raises_a_typed_error(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        analyze_bytes(data, "cv.bin")


def test_result_is_deterministic() -> None:
    first: AnalysisResult = analyze_bytes(RESUME_TXT.encode(), "jane.txt")
    second = analyze_bytes(RESUME_TXT.encode(), "jane.txt")

    assert first.to_json() == second.to_json()


def test_warm_up_loads_the_shipped_data_and_fills_the_review_caches() -> None:
    from cvlens.analysis.match.taxonomy import load_taxonomy
    from cvlens.analysis.pipeline import warm_up
    from cvlens.analysis.review.lexicon import action_verbs, filler_pattern

    for cached in (load_taxonomy, action_verbs, filler_pattern):
        cached.cache_clear()
    warm_up()
    for cached in (load_taxonomy, action_verbs, filler_pattern):
        assert cached.cache_info().currsize == 1, cached.__name__


def test_review_and_match_share_one_locator(monkeypatch: pytest.MonkeyPatch) -> None:
    from cvlens.analysis.review import locate

    built: list[object] = []
    original = locate.Locator.__init__

    def counting(self: locate.Locator, *args: object, **kwargs: object) -> None:
        built.append(self)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(locate.Locator, "__init__", counting)
    result = analyze_bytes(RESUME_TXT.encode(), "resume.txt", JOB_TXT)
    assert result.match is not None and result.match.matched
    assert len(built) == 1
