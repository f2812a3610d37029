from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import docx
from flask.testing import FlaskClient
from fpdf import FPDF

from examples.legacy_flask.app import MAX_UPLOAD_BYTES
from tests.legacy_flask.conftest import login

RESUME = "Jane Doe\nExperience\nBuilt Python and PostgreSQL services on AWS.\n"


def _upload(client: FlaskClient, auth: dict[str, str], name: str, data: bytes) -> dict[str, object]:
    response = client.post(
        "/api/upload",
        headers=auth,
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    return {"status": response.status_code, "body": response.get_json()}


def test_upload_txt_then_list_and_get(
    client: FlaskClient, auth: dict[str, str], db_path: Path
) -> None:
    uploaded = _upload(client, auth, "jane.txt", RESUME.encode())
    assert uploaded["status"] == 201
    body = uploaded["body"]
    assert isinstance(body, dict)
    assert list(body) == ["id", "filename", "uploaded_at", "text_length"]
    assert body["filename"] == "jane.txt" and body["text_length"] == len(RESUME)

    listed = client.get("/api/resumes", headers=auth).get_json()["resumes"]
    assert [r["id"] for r in listed] == [1, body["id"]]  # the seeded one, then the new one

    detail = client.get(f"/api/resumes/{body['id']}", headers=auth).get_json()
    assert detail["extracted_text"] == RESUME
    assert detail["optimizations"] == []
    conn = sqlite3.connect(db_path)
    (content,) = conn.execute("SELECT content FROM resumes WHERE id = ?", (body["id"],)).fetchone()
    conn.close()
    assert content == RESUME.encode()


def test_upload_docx_and_pdf_extract_text(client: FlaskClient, auth: dict[str, str]) -> None:
    document = docx.Document()
    document.add_paragraph("Docx Person")
    document.add_paragraph("Kubernetes expert")
    buffer = io.BytesIO()
    document.save(buffer)
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Pdf Person knows Terraform")
    for name, data, expected in (
        ("cv.docx", buffer.getvalue(), "Kubernetes expert"),
        ("cv.pdf", bytes(pdf.output()), "Pdf Person knows Terraform"),
    ):
        uploaded = _upload(client, auth, name, data)
        assert uploaded["status"] == 201, uploaded
        body = uploaded["body"]
        assert isinstance(body, dict)
        detail = client.get(f"/api/resumes/{body['id']}", headers=auth).get_json()
        assert expected in detail["extracted_text"]


def test_bad_uploads_get_clear_errors(client: FlaskClient, auth: dict[str, str]) -> None:
    assert _upload(client, auth, "cv.exe", b"MZ")["status"] == 415
    assert _upload(client, auth, "cv.txt", b"") == {
        "status": 400,
        "body": {"error": "the file is empty"},
    }
    assert _upload(client, auth, "cv.pdf", b"not a pdf") == {
        "status": 422,
        "body": {"error": "could not read pdf file"},
    }
    assert _upload(client, auth, "cv.txt", b"\xff\xfe\xfa")["status"] == 422
    too_big = _upload(client, auth, "cv.txt", b"a" * (MAX_UPLOAD_BYTES + 1))
    assert too_big == {"status": 413, "body": {"error": "file too large"}}
    response = client.post("/api/upload", headers=auth, data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert client.get("/api/resumes", headers=auth).get_json()["resumes"][-1]["id"] == 1


def test_resumes_are_private_to_their_owner(client: FlaskClient, auth: dict[str, str]) -> None:
    other = login(client, 2)
    own = client.get("/api/resumes", headers=other).get_json()["resumes"]
    assert [r["id"] for r in own] == [2]
    response = client.get("/api/resumes/1", headers=other)
    assert response.status_code == 404
    assert response.get_json() == {"error": "resume not found"}
    assert client.get("/api/resumes/999", headers=auth).status_code == 404


def test_health_and_unknown_routes(client: FlaskClient) -> None:
    assert client.get("/api/health").get_json() == {"status": "ok"}
    missing = client.get("/api/nothing")
    assert (missing.status_code, missing.get_json()) == (404, {"error": "not found"})
    wrong = client.get("/api/login")
    assert (wrong.status_code, wrong.get_json()) == (405, {"error": "method not allowed"})
