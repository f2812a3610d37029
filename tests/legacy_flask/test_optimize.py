from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from flask.testing import FlaskClient

from examples.legacy_flask.optimizer import keywords, optimize
from tests.legacy_flask.conftest import login

JOB = "Python developer: python, PostgreSQL and Docker. Kubernetes is a plus."


def test_keywords_rank_by_frequency_then_first_appearance() -> None:
    assert keywords(JOB) == ["python", "developer", "postgresql", "docker", "kubernetes"]
    assert keywords("C++ and c# and node.js") == ["c++", "c#", "node.js"]


def test_optimize_scores_share_of_matched_keywords() -> None:
    result = optimize("I write Python against PostgreSQL.", JOB)
    assert result["matched_keywords"] == ["python", "postgresql"]
    assert result["missing_keywords"] == ["developer", "docker", "kubernetes"]
    assert result["score"] == 40
    assert result["suggestions"][:3] == [
        "Mention 'developer' if it reflects your experience.",
        "Mention 'docker' if it reflects your experience.",
        "Mention 'kubernetes' if it reflects your experience.",
    ]
    assert "Tailor your summary" in result["suggestions"][3]
    assert optimize("anything", "the and of")["score"] == 0


def test_optimize_endpoint_stores_the_result(
    client: FlaskClient, auth: dict[str, str], db_path: Path
) -> None:
    response = client.post(
        "/api/optimize", headers=auth, json={"resume_id": 1, "job_description": JOB}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == ["score", "matched_keywords", "missing_keywords", "suggestions"]
    conn = sqlite3.connect(db_path)
    (stored,) = conn.execute("SELECT result FROM optimizations ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    assert json.loads(stored) == body
    history = client.get("/api/resumes/1", headers=auth).get_json()["optimizations"]
    assert history[-1]["score"] == body["score"] and history[-1]["job_description"] == JOB


def test_optimize_rejects_bad_input(client: FlaskClient, auth: dict[str, str]) -> None:
    cases = [
        ({"resume_id": "1", "job_description": JOB}, 400),
        ({"resume_id": True, "job_description": JOB}, 400),
        ({"resume_id": 1, "job_description": "  "}, 400),
        ({"resume_id": 1, "job_description": "x" * 20_001}, 400),
        ({"resume_id": 2, "job_description": JOB}, 404),  # user 2's résumé
    ]
    for body, status in cases:
        response = client.post("/api/optimize", headers=auth, json=body)
        assert response.status_code == status, body
        assert set(response.get_json()) == {"error"}
    other = login(client, 2)
    assert (
        client.post(
            "/api/optimize", headers=other, json={"resume_id": 2, "job_description": JOB}
        ).status_code
        == 200
    )
