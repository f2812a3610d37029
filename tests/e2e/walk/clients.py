"""The walk's client load: reader and writer users hitting the gateway in a loop.

Readers only read (list, get) data that the first copy already moved, so shadow diffs
compare like with like. Writers upload and optimize; their rows reach CVLens through the
delta copies (or, after the write flip, land there directly). Every request is recorded;
the walk requires that none failed.
"""

from __future__ import annotations

import itertools
import random
import threading
from dataclasses import dataclass, field

import httpx

JOB = "Python developer: FastAPI, PostgreSQL, Docker, Kubernetes; Python and SQL daily."


@dataclass
class Outcome:
    phase: str
    user: str
    action: str
    status: int | None
    backend: str | None
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None or self.status is None or self.status >= 400


@dataclass
class ClientLoop:
    base_url: str
    readers: list[str]
    writers: list[str]
    password: str
    phase: str = "start"
    outcomes: list[Outcome] = field(default_factory=list)
    uploads: dict[str, list[int]] = field(default_factory=dict)
    writes_allowed: threading.Event = field(default_factory=threading.Event)
    rounds: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _round_done: threading.Condition = field(default_factory=threading.Condition)
    _thread: threading.Thread | None = None
    _counter: itertools.count[int] = field(default_factory=itertools.count)

    def start(self) -> None:
        self.writes_allowed.set()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)

    def wait_rounds(self, count: int, timeout: float = 60) -> None:
        """Block until `count` more full rounds (every user once) have completed."""
        with self._round_done:
            target = self.rounds + count
            if not self._round_done.wait_for(lambda: self.rounds >= target, timeout=timeout):
                raise TimeoutError(f"client loop stuck at round {self.rounds} < {target}")

    def failures(self) -> list[Outcome]:
        with self._lock:
            return [o for o in self.outcomes if o.failed]

    def in_phase(self, phase: str) -> list[Outcome]:
        with self._lock:
            return [o for o in self.outcomes if o.phase == phase]

    def _run(self) -> None:
        tokens: dict[str, str] = {}
        with httpx.Client(base_url=self.base_url, timeout=30) as http:
            while not self._stop.is_set():
                for email in self.readers:
                    self._read_round(http, tokens, email)
                if self.writes_allowed.is_set():
                    for email in self.writers:
                        self._write_round(http, tokens, email)
                with self._round_done:
                    self.rounds += 1
                    self._round_done.notify_all()

    def _call(
        self, http: httpx.Client, user: str, action: str, method: str, path: str, **kw: object
    ) -> httpx.Response | None:
        phase = self.phase
        try:
            response = http.request(method, path, **kw)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            self._record(Outcome(phase, user, action, None, None, repr(exc)))
            return None
        self._record(
            Outcome(
                phase, user, action, response.status_code, response.headers.get("x-cutover-backend")
            )
        )
        return response

    def _record(self, outcome: Outcome) -> None:
        with self._lock:
            self.outcomes.append(outcome)

    def _auth(self, http: httpx.Client, tokens: dict[str, str], email: str) -> dict[str, str]:
        """A fresh login every round: logins are part of the load, and each new token is a
        new canary bucket, so both sides serve some of every user's reads."""
        body = {"email": email, "password": self.password}
        response = self._call(http, email, "login", "POST", "/api/login", json=body)
        if response is not None and response.status_code == 200:
            tokens[email] = response.json()["token"]
        return {"Authorization": f"Bearer {tokens.get(email, 'none')}"}

    def _read_round(self, http: httpx.Client, tokens: dict[str, str], email: str) -> None:
        headers = self._auth(http, tokens, email)
        self._call(http, email, "health", "GET", "/api/health")
        listed = self._call(http, email, "list", "GET", "/api/resumes", headers=headers)
        if listed is None or listed.status_code != 200:
            return
        ids = [r["id"] for r in listed.json()["resumes"]]
        if ids:
            self._call(
                http, email, "get", "GET", f"/api/resumes/{random.choice(ids)}", headers=headers
            )

    def _write_round(self, http: httpx.Client, tokens: dict[str, str], email: str) -> None:
        headers = self._auth(http, tokens, email)
        n = next(self._counter)
        text = f"{email} résumé {n}\nPython FastAPI PostgreSQL Docker, {n} shipped services.\n"
        files = {"file": (f"cv-{n}.txt", text.encode())}
        uploaded = self._call(
            http, email, "upload", "POST", "/api/upload", headers=headers, files=files
        )
        if uploaded is None or uploaded.status_code != 201:
            return
        resume_id = uploaded.json()["id"]
        with self._lock:
            self.uploads.setdefault(email, []).append(resume_id)
        body = {"resume_id": resume_id, "job_description": JOB}
        self._call(http, email, "optimize", "POST", "/api/optimize", headers=headers, json=body)
