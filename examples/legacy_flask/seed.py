"""Demo data for the legacy app: N users, their résumés and past optimizations.

Every seeded user has the same password (DEMO_PASSWORD); its Werkzeug pbkdf2 hash is
computed once, because one pbkdf2:sha256 hash costs ~1e6 iterations.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from werkzeug.security import generate_password_hash

from examples.legacy_flask import db
from examples.legacy_flask.optimizer import optimize

DEMO_PASSWORD = "legacy-password"
_EPOCH = datetime(2023, 1, 1, tzinfo=UTC)
_SKILLS = [
    "python",
    "flask",
    "django",
    "sql",
    "postgresql",
    "sqlite",
    "docker",
    "kubernetes",
    "aws",
    "terraform",
    "react",
    "typescript",
    "javascript",
    "node.js",
    "go",
    "rust",
    "java",
    "c++",
    "c#",
    "redis",
    "kafka",
    "airflow",
    "spark",
    "pandas",
    "graphql",
    "rest",
    "ci/cd",
    "linux",
    "git",
    "testing",
    "leadership",
    "mentoring",
    "agile",
    "scrum",
]
_TITLES = ("Software Engineer", "Backend Developer", "Data Engineer", "Platform Engineer")
_COMPANIES = ("Acme Corp", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries")


@dataclass(frozen=True)
class SeedSummary:
    users: int
    resumes: int
    optimizations: int


def email_of(index: int) -> str:
    return f"user{index}@example.com"


def _resume_text(rng: random.Random, name: str) -> str:
    skills = rng.sample(_SKILLS, 8)
    jobs = [
        f"{rng.choice(_TITLES)} at {rng.choice(_COMPANIES)} ({2015 + i * 3}-{2018 + i * 3})\n"
        f"- Built services in {skills[i]} and {skills[i + 3]} used by {rng.randint(2, 90)}k users\n"
        f"- Cut latency by {rng.randint(10, 70)}% with {skills[i + 1]}"
        for i in range(2)
    ]
    return (
        f"{name}\n\nSummary\nEngineer.\n\nExperience\n"
        + "\n".join(jobs)
        + ("\n\nSkills\n" + ", ".join(skills) + "\n")
    )


def _job_description(rng: random.Random) -> str:
    wanted = rng.sample(_SKILLS, 6)
    return (
        f"We are hiring a {rng.choice(_TITLES)}. You know {', '.join(wanted[:4])}; "
        f"{wanted[4]} and {wanted[5]} are a plus."
    )


def _stamp(offset_minutes: int) -> str:
    return (_EPOCH + timedelta(minutes=offset_minutes)).isoformat()


def seed(
    database: str | Path,
    users: int,
    resumes_per_user: int = 2,
    optimizations_per_resume: int = 1,
    *,
    password: str = DEMO_PASSWORD,
    random_seed: int = 0,
) -> SeedSummary:
    """Add `users` users (user<N>@example.com, numbered after existing ones) with data."""
    if users < 0 or resumes_per_user < 0 or optimizations_per_resume < 0:
        raise ValueError("counts must be >= 0")
    db.init_db(database)
    rng = random.Random(random_seed)
    password_hash = generate_password_hash(password, method="pbkdf2:sha256")
    conn = db.connect(database)
    resumes = optimizations = 0
    try:
        with conn:
            start = conn.execute("SELECT COALESCE(MAX(id), 0) FROM users").fetchone()[0]
            for index in range(start + 1, start + users + 1):
                user_id = conn.execute(
                    "INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?)",
                    (email_of(index), password_hash, _stamp(index)),
                ).lastrowid
                for r in range(resumes_per_user):
                    text = _resume_text(rng, f"User {index}")
                    resume_id = conn.execute(
                        "INSERT INTO resumes (user_id, filename, content, extracted_text,"
                        " uploaded_at) VALUES (?, ?, ?, ?, ?)",
                        (
                            user_id,
                            f"resume_{index}_{r}.txt",
                            text.encode(),
                            text,
                            _stamp(index + r),
                        ),
                    ).lastrowid
                    resumes += 1
                    for o in range(optimizations_per_resume):
                        job = _job_description(rng)
                        conn.execute(
                            "INSERT INTO optimizations (resume_id, job_description, result,"
                            " created_at) VALUES (?, ?, ?, ?)",
                            (
                                resume_id,
                                job,
                                json.dumps(optimize(text, job)),
                                _stamp(index + r + o),
                            ),
                        )
                        optimizations += 1
    finally:
        conn.close()
    return SeedSummary(users=users, resumes=resumes, optimizations=optimizations)
