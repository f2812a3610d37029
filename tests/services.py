"""Reachability of the real servers the integration tests use.

Under CI=true a missing server fails the test run (nothing may be skipped silently);
elsewhere the test skips with the command that starts the server.
"""

from __future__ import annotations

import os
import socket

import pytest

POSTGRES_URL = os.environ.get(
    "CVLENS_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("CVLENS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RABBITMQ_URL = os.environ.get("CVLENS_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")

_START = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
    "RabbitMQ": "rabbitmq-server -detached",
}
_PORTS = {"PostgreSQL": 5432, "Redis": 6379, "RabbitMQ": 5672}


def _reachable(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def require(server: str) -> None:
    """Skip (or, under CI=true, fail) the calling test when `server` is not listening."""
    if _reachable(_PORTS[server]):
        return
    message = (
        f"{server} is not reachable on 127.0.0.1:{_PORTS[server]}; start it with: {_START[server]}"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
