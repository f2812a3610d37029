"""`cvlens analyze`: in-process through typer's CliRunner, and as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cvlens.cli import app

from .analysis.sample_resume import JOB_TXT, RESUME_TXT
from .analysis.test_pipeline import assert_contract

runner = CliRunner()


@pytest.fixture
def resume_file(tmp_path: Path) -> Path:
    path = tmp_path / "jane.txt"
    path.write_text(RESUME_TXT, encoding="utf-8")
    return path


@pytest.fixture
def job_file(tmp_path: Path) -> Path:
    path = tmp_path / "job.txt"
    path.write_text(JOB_TXT, encoding="utf-8")
    return path


def test_json_output_is_the_contract(resume_file: Path, job_file: Path) -> None:
    result = runner.invoke(
        app, ["analyze", str(resume_file), "--job", str(job_file), "--format", "json"]
    )

    assert result.exit_code == 0, result.output
    assert_contract(json.loads(result.stdout), with_match=True)


def test_json_job_record_is_accepted(resume_file: Path, tmp_path: Path) -> None:
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"title": "Engineer", "skills": [{"name": "Go"}]}), encoding="utf-8")

    result = runner.invoke(
        app, ["analyze", str(resume_file), "--job", str(job), "--format", "json"]
    )

    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [item["requirement"] for item in payload["match"]["matched"]] == ["Go"]


def test_text_report_is_readable(resume_file: Path, job_file: Path) -> None:
    result = runner.invoke(app, ["analyze", str(resume_file), "--job", str(job_file)])

    assert result.exit_code == 0, result.output
    assert "Overall score:" in result.stdout
    assert "Job match:" in result.stdout
    assert "Responsible for" in result.stdout  # the filler finding quotes its line
    assert "\x1b[" not in result.stdout  # no colour codes when not on a terminal


def test_out_writes_the_report_to_a_file(resume_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"

    result = runner.invoke(
        app, ["analyze", str(resume_file), "--format", "json", "--out", str(out)]
    )

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert_contract(json.loads(out.read_text(encoding="utf-8")), with_match=False)


def test_bad_job_json_is_a_plain_error(resume_file: Path, tmp_path: Path) -> None:
    job = tmp_path / "job.json"
    job.write_text("[1, 2", encoding="utf-8")

    result = runner.invoke(app, ["analyze", str(resume_file), "--job", str(job)])

    assert result.exit_code == 1
    assert "not valid JSON" in result.stderr


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("cvlens")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "cvlens.cli"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "empty"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EO", ""),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "unsupported"),
    ],
)
def test_bad_input_exits_non_zero_with_a_message_and_no_traceback(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    completed = _cli("analyze", str(path))

    assert completed.returncode == 1
    assert completed.stderr.startswith("error: ")
    assert message in completed.stderr.lower()
    assert "Traceback" not in completed.stderr
    assert completed.stdout == ""


def test_missing_file_exits_non_zero_without_traceback(tmp_path: Path) -> None:
    completed = _cli("analyze", str(tmp_path / "nope.pdf"))

    assert completed.returncode == 1
    assert "cannot read" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_subprocess_json_output(resume_file: Path) -> None:
    completed = _cli("analyze", str(resume_file), "--format", "json")

    assert completed.returncode == 0, completed.stderr
    assert_contract(json.loads(completed.stdout), with_match=False)


def test_text_report_is_coloured_only_when_asked(resume_file: Path) -> None:
    from cvlens.analysis_report import render_text, run_analysis

    result = run_analysis(resume_file, None)

    assert "\x1b[" in render_text(result, color=True)
    plain = render_text(result, color=False)
    assert "\x1b[" not in plain
    assert "Overall score:" in plain
