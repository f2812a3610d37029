"""The page end to end in Chromium: sign up → upload → live progress → report → download."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from cvlens.analysis.pipeline import analyze_bytes
from tests.e2e.web.conftest import sign_up, upload

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "resumes"
JANE_PDF = FIXTURES / "jane_doe.pdf"
JOB = (
    "Senior Python engineer. Required: Python, FastAPI, PostgreSQL, Kubernetes, Docker. "
    "Nice to have: React, AWS."
)


def wait_for_report(page: Page) -> None:
    expect(page.locator("#report")).to_be_visible(timeout=60_000)


def test_sign_up_upload_watch_report_and_download(page: Page, artifacts: Path) -> None:
    expected = analyze_bytes(JANE_PDF.read_bytes(), JANE_PDF.name, JOB)
    assert expected.match is not None
    sign_up(page)
    upload(page, JANE_PDF, JOB)
    wait_for_report(page)

    # Progress came over the first transport: the WebSocket.
    assert page.locator("#analysis-status").get_attribute("data-transport") == "websocket"
    expect(page.locator("#report-title")).to_have_text("Jane Doe")
    expect(page.locator("#overall-score")).to_have_text(str(expected.review.score))
    bars = page.locator(".score-chart .bar-row")
    expect(bars).to_have_count(1 + len(expected.review.dimensions))
    expect(page.locator(".score-chart [data-dimension='impact'] .bar-value")).to_have_text(
        str(next(d.score for d in expected.review.dimensions if d.name == "impact"))
    )

    evidence = page.locator(".finding .evidence q")
    assert evidence.count() >= 1
    assert evidence.first.inner_text().strip()
    expect(page.locator(".finding .fix").first).to_contain_text("Fix:")

    expect(page.locator("#match-title")).to_have_text(f"Job match: {expected.match.score}/100")
    for kind in ("matched", "partial", "missing"):
        chips = page.locator(f".chips[data-kind='{kind}'] .chip-text")
        wanted = sorted(item.requirement for item in getattr(expected.match, kind))
        assert wanted, f"the fixture job should produce {kind} requirements"
        assert sorted(chips.all_inner_texts()) == wanted
    expect(page.locator(".resume-view")).to_contain_text("Acme Payments Inc.")

    page.screenshot(path=str(artifacts / "web-report.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download JSON Resume").click()
    download = download_info.value
    assert download.suggested_filename == "jane-doe.resume.json"
    resume = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert resume["basics"]["name"] == "Jane Doe"
    assert {"work", "education", "skills"} <= resume.keys()
    assert any(w["name"] == "Acme Payments Inc." for w in resume["work"])

    # History lists the upload with its finished analysis.
    item = page.locator(".history-item", has_text="jane_doe.pdf")
    expect(item).to_have_count(1)
    expect(item.locator(".analysis-item.succeeded")).to_have_count(1)


def test_script_in_a_resume_shows_as_text(page: Page, tmp_path: Path) -> None:
    text = (FIXTURES / "jane_doe.txt").read_text(encoding="utf-8")
    text = text.replace("Jane Doe", "<script>window.__xss=1</script>Mallory", 1)
    text = text.replace(
        "Cut p99 checkout latency",
        '<script>window.__xss=2</script><img src=x onerror="window.__xss=3"> Cut p99 latency',
    )
    sign_up(page)
    upload(
        page,
        {
            "name": "<img src=x onerror=window.__xss=4>mallory.txt",
            "mimeType": "text/plain",
            "buffer": text.encode(),
        },
    )
    wait_for_report(page)
    expect(page.locator(".resume-view")).to_contain_text(
        '<script>window.__xss=2</script><img src=x onerror="window.__xss=3"> Cut p99 latency'
    )
    expect(page.locator(".history-file").first).to_have_text(
        "<img src=x onerror=window.__xss=4>mallory.txt"
    )
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("main script, main img").count() == 0


def test_a_job_without_employer_still_shows_with_its_finding(page: Page) -> None:
    text = (FIXTURES / "jane_doe.txt").read_text(encoding="utf-8")
    text = text.replace("Junior Developer at Initech LLC", "Junior Developer", 1)
    sign_up(page)
    upload(page, {"name": "no-employer.txt", "mimeType": "text/plain", "buffer": text.encode()})
    wait_for_report(page)
    job = page.locator(".resume-view .resume-entry", has_text="Junior Developer")
    expect(job).to_contain_text("employer not named")
    expect(job).to_contain_text("Wrote integration tests that raised coverage")
    expect(page.locator(".finding", has_text="names no employer")).to_have_count(1)


def test_rejected_uploads_show_the_reason_inline(page: Page) -> None:
    sign_up(page)
    upload(page, {"name": "empty.pdf", "mimeType": "application/pdf", "buffer": b""})
    expect(page.locator("#upload-error")).to_contain_text("empty")
    upload(
        page,
        {"name": "photo.pdf", "mimeType": "application/pdf", "buffer": b"\x89PNG\r\n\x1a\n" * 64},
    )
    expect(page.locator("#upload-error")).to_contain_text("not supported")
    expect(page.locator("#report")).to_be_hidden()


def test_sse_and_polling_fallbacks_reach_the_result(page: Page) -> None:
    sign_up(page)
    upload(page, JANE_PDF)
    wait_for_report(page)
    analysis_id = page.locator(".analysis-item").first.get_attribute("data-analysis-id")
    for transport in ("sse", "polling"):
        outcome = page.evaluate(
            """async ([id, transport]) => {
                const { followAnalysis } = await import("/static/js/progress.js");
                const seen = [];
                const analysis = await followAnalysis(id, (e, t) => seen.push(t), [transport]);
                return { status: analysis.status, name: analysis.result.resume.basics.name, seen };
            }""",
            [analysis_id, transport],
        )
        assert outcome["status"] == "succeeded"
        assert outcome["name"] == "Jane Doe"
        assert outcome["seen"] and set(outcome["seen"]) == {transport}


def test_history_rerun_with_a_job_then_delete(page: Page) -> None:
    sign_up(page)
    upload(page, JANE_PDF)
    wait_for_report(page)
    expect(page.locator(".match")).to_contain_text("No job description was given")
    item = page.locator(".history-item").first
    item.get_by_text("Re-run against a job description").click()
    item.get_by_label("New job description").fill(JOB)
    item.get_by_role("button", name="Re-run analysis").click()
    expect(page.locator("#match-title")).to_contain_text("Job match:", timeout=60_000)
    expect(item.locator(".analysis-item.succeeded")).to_have_count(2)

    item.get_by_role("button", name="Delete").click()
    item.get_by_role("button", name="Confirm deleting").click()
    expect(page.locator(".history-list")).to_contain_text("Nothing yet")


def test_sign_out_then_sign_in_again(page: Page) -> None:
    email = sign_up(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#auth")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("wrong password entirely")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#auth-error")).not_to_be_empty()
    from tests.e2e.web.conftest import PASSWORD

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#account-email")).to_have_text(email)


def test_phone_width_has_no_horizontal_scroll(page: Page, artifacts: Path) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_up(page)
    upload(page, JANE_PDF, JOB)
    wait_for_report(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.screenshot(path=str(artifacts / "web-report-phone.png"), full_page=True)


def test_page_and_assets_carry_a_strict_csp(base_url: str) -> None:
    for path in ("/", "/static/js/main.js", "/static/app.css"):
        response = httpx.get(base_url + path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    page = httpx.get(base_url + "/").text
    assert "<script>" not in page and " style=" not in page


def test_drop_a_file_on_the_drop_zone(page: Page) -> None:
    sign_up(page)
    data_transfer = page.evaluate_handle(
        """() => {
            const transfer = new DataTransfer();
            const text = "Dana Drop\\ndana@example.com\\n\\nExperience\\nEngineer, 2020 - 2023";
            transfer.items.add(new File([text], "dropped.txt", { type: "text/plain" }));
            return transfer;
        }"""
    )
    page.locator("#drop-zone").dispatch_event("drop", {"dataTransfer": data_transfer})
    expect(page.locator("#file-name")).to_have_text("Selected: dropped.txt")
    page.get_by_role("button", name="Upload and analyse").click()
    wait_for_report(page)
    expect(page.locator(".history-file").first).to_have_text("dropped.txt")


def test_an_expired_access_token_is_refreshed(page: Page) -> None:
    sign_up(page)
    stale = page.evaluate(
        """() => {
            const session = JSON.parse(sessionStorage.getItem("cvlens.session"));
            session.access = "not-a-valid-token";
            sessionStorage.setItem("cvlens.session", JSON.stringify(session));
            return session.refresh;
        }"""
    )
    page.reload()
    upload(page, JANE_PDF)
    wait_for_report(page)
    session = page.evaluate('JSON.parse(sessionStorage.getItem("cvlens.session"))')
    assert session["access"] != "not-a-valid-token"
    assert session["refresh"] != stale


def test_an_unreadable_pdf_fails_with_a_readable_message(page: Page) -> None:
    sign_up(page)
    upload(page, {"name": "broken.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n"})
    expect(page.locator("#status-title")).to_have_text("Analysis failed", timeout=60_000)
    expect(page.locator("#analysis-error")).not_to_be_empty()
    expect(page.locator("#report")).to_be_hidden()
    expect(page.locator(".analysis-item.failed")).to_have_count(1)
