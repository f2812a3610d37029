"""Sticky canary: Unleash-compatible buckets, stickiness, distribution, key sources."""

from __future__ import annotations

import base64
import json

import mmh3

from cutover.bucketing import bucket, goes_to_new, jwt_subject, parse_cookies, request_key
from cutover.config import StickinessKey
from tests.cutover.conftest import StartGateway, make_config
from tests.cutover.servers import Backend


def test_bucket_is_the_unleash_formula() -> None:
    for key in ("user-1", "42", "ünïcode"):
        expected = mmh3.hash(f"salt:{key}", signed=False) % 100 + 1
        assert bucket("salt", key) == expected
        assert 1 <= bucket("salt", key) <= 100


def test_same_key_same_side_and_raising_percent_only_adds_users() -> None:
    keys = [f"user-{i}" for i in range(2000)]
    at_10 = {k for k in keys if goes_to_new("s", k, 10)}
    at_20 = {k for k in keys if goes_to_new("s", k, 20)}
    assert at_10 == {k for k in keys if goes_to_new("s", k, 10)}
    assert at_10 < at_20
    assert at_10 and len(at_20) > len(at_10)


def test_distribution_within_two_points_over_10000_keys() -> None:
    keys = [f"user-{i}" for i in range(10_000)]
    for percent in (1, 10, 25, 50, 90):
        share = sum(goes_to_new("migration", k, percent) for k in keys) / len(keys) * 100
        assert abs(share - percent) <= 2, (percent, share)


def _jwt(claims: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256'})}.{part(claims)}.signature"


def test_key_sources() -> None:
    token = _jwt({"sub": "alice"})
    jwt_key = StickinessKey(source="jwt_sub", name="Authorization")
    assert request_key(jwt_key, {"authorization": f"Bearer {token}"}, {}) == "alice"
    assert request_key(jwt_key, {"authorization": "Bearer not.a.jwt"}, {}) is None
    assert request_key(jwt_key, {"authorization": "Basic abc"}, {}) is None
    assert jwt_subject(f"Bearer {_jwt({'name': 'no sub'})}") is None
    header_key = StickinessKey(source="header", name="X-User")
    assert request_key(header_key, {"x-user": "bob"}, {}) == "bob"
    cookie_key = StickinessKey(source="cookie", name="uid")
    assert request_key(cookie_key, {}, parse_cookies("a=1; uid=carol; b")) == "carol"
    assert request_key(cookie_key, {}, {}) is None


def canary(percent: float, **extra: object) -> list[dict[str, object]]:
    return [{"name": "items", "path": "/api/items/{item}", "mode": "canary", "percent": percent}]


async def test_canary_by_header_key_is_sticky_through_the_gateway(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    config = make_config(
        legacy.url,
        new.url,
        routes=canary(10),
        stickiness={"salt": "s", "key": {"source": "header", "name": "X-User"}},
    )
    gw = start_gateway(config)
    users = [f"user-{i}" for i in range(60)]

    async def sides() -> dict[str, str]:
        seen = {}
        for user in users:
            response = await gw.client.get("/api/items/1", headers={"X-User": user})
            seen[user] = response.headers["x-cutover-backend"]
        return seen

    first = await sides()
    assert first == await sides()
    assert first == {u: "new" if bucket("s", u) <= 10 else "legacy" for u in users}
    await gw.admin.put("/api/routes/items", json={"mode": "canary", "percent": 20})
    raised = await sides()
    assert all(raised[u] == "new" for u in users if first[u] == "new")
    assert raised == {u: "new" if bucket("s", u) <= 20 else "legacy" for u in users}


async def test_without_a_key_a_client_cookie_keeps_the_user_on_one_side(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    gw = start_gateway(make_config(legacy.url, new.url, routes=canary(50)))
    first = await gw.client.get("/api/items/1")
    cookie = first.cookies.get("cutover_uid")
    assert cookie
    side = first.headers["x-cutover-backend"]
    for _ in range(10):
        again = await gw.client.get("/api/items/1")  # the client re-sends the cookie
        assert again.headers["x-cutover-backend"] == side
        assert "set-cookie" not in again.headers
    assert side == ("new" if bucket("cutover", cookie) <= 50 else "legacy")


async def test_overrides_only_when_enabled(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    disabled = start_gateway(make_config(legacy.url, new.url))
    forced = await disabled.client.get("/api/items/1", headers={"X-Cutover-Force": "new"})
    assert forced.headers["x-cutover-backend"] == "legacy"

    enabled = start_gateway(make_config(legacy.url, new.url, overrides={"enabled": True}))
    by_header = await enabled.client.get("/api/items/1", headers={"X-Cutover-Force": "new"})
    assert by_header.headers["x-cutover-backend"] == "new"
    by_cookie = await enabled.client.get("/api/items/1", headers={"Cookie": "cutover_force=new"})
    assert by_cookie.headers["x-cutover-backend"] == "new"
    nonsense = await enabled.client.get("/api/items/1", headers={"X-Cutover-Force": "both"})
    assert nonsense.headers["x-cutover-backend"] == "legacy"


async def test_canary_by_jwt_sub_through_the_gateway(
    legacy: Backend, new: Backend, start_gateway: StartGateway
) -> None:
    gw = start_gateway(make_config(legacy.url, new.url, routes=canary(50)))
    for user in (f"user-{i}" for i in range(20)):
        token = _jwt({"sub": user})
        response = await gw.client.get("/api/items/1", headers={"Authorization": f"Bearer {token}"})
        expected = "new" if bucket("cutover", user) <= 50 else "legacy"
        assert response.headers["x-cutover-backend"] == expected
        assert "set-cookie" not in response.headers  # a keyed user needs no cookie
