"""Typed JSON differences, ignore rules and Diffy-style thresholds (pure functions)."""

from __future__ import annotations

from cutover.config import IgnoreRules, Shadow
from cutover.diff import Comparator, DiffAggregator, Difference, DiffKind, Snapshot, diff_json


def kinds(legacy: object, new: object) -> list[tuple[str, DiffKind]]:
    return [(d.path, d.kind) for d in diff_json(legacy, new)]


def test_typed_differences() -> None:
    assert kinds({"a": 1}, {"a": 1}) == []
    assert kinds({"a": 1}, {"a": 2}) == [("$.a", DiffKind.CHANGED)]
    assert kinds({"a": 1}, {"a": 1.0}) == []
    assert kinds({"a": True}, {"a": 1}) == [("$.a", DiffKind.TYPE_CHANGE)]
    assert kinds({"a": None}, {"a": {}}) == [("$.a", DiffKind.TYPE_CHANGE)]
    assert kinds({"a": 1, "b": 2}, {"a": 1}) == [("$.b", DiffKind.MISSING)]
    assert kinds({"a": 1}, {"a": 1, "c": 3}) == [("$.c", DiffKind.EXTRA)]
    assert kinds([{"x": 1}, {"x": 2}], [{"x": 2}, {"x": 1}]) == [("$", DiffKind.ORDER)]
    assert kinds([1, 2], [1, 3, 4]) == [("$", DiffKind.LIST_LENGTH), ("$[1]", DiffKind.CHANGED)]
    assert kinds({"l": [{"id": 1}]}, {"l": [{"id": 9}]}) == [("$.l[0].id", DiffKind.CHANGED)]


def test_ignore_rules_and_headers() -> None:
    comparator = Comparator(
        ["content-type", "etag"],
        IgnoreRules(json_paths=["$.meta", "$..stamp", "$.items[*].id"], headers=["etag"]),
    )
    legacy = Snapshot(
        200,
        {"content-type": "application/json", "etag": "1"},
        b'{"meta": {"a": 1}, "deep": {"stamp": 1}, "items": [{"id": 1, "v": 1}], "k": 1}',
    )
    new = Snapshot(
        201,
        {"content-type": "text/plain", "etag": "2"},
        b'{"meta": {"a": 2}, "deep": {"stamp": 2}, "items": [{"id": 2, "v": 2}], "k": 1}',
    )
    found = {(d.path, d.kind) for d in comparator.compare(legacy, new)}
    assert found == {
        ("status", DiffKind.CHANGED),
        ("header:content-type", DiffKind.CHANGED),
        ("$.items[0].v", DiffKind.CHANGED),
    }


def test_non_json_bodies_compare_as_bytes() -> None:
    comparator = Comparator([], IgnoreRules())
    same = comparator.compare(Snapshot(200, {}, b"<html>"), Snapshot(200, {}, b"<html>"))
    assert same == []
    other = comparator.compare(Snapshot(200, {}, b"<html>"), Snapshot(200, {}, b"<xml>"))
    assert [(d.path, d.kind) for d in other] == [("body", DiffKind.CHANGED)]


def test_diffy_thresholds() -> None:
    aggregator = DiffAggregator(Shadow(relative_threshold=0.2, absolute_threshold=0.03))
    change = [Difference("$.x", DiffKind.CHANGED, 1, 2)]
    # $.x differs in 50 % of new-vs-legacy and 45 % of legacy-vs-legacy: within 20 % → noise
    for index in range(100):
        aggregator.record("r", change if index % 2 == 0 else [], [] if index < 55 else change, "")
    report = aggregator.report("r")["r"]
    assert report["paths"] == [] and report["noise_paths"] == ["$.x"]
    # a fresh route where new differs 50 % and legacy never does: reported
    for index in range(100):
        aggregator.record("s", change if index % 2 == 0 else [], [], "GET /s")
    paths = aggregator.report("s")["s"]["paths"]
    assert [(p["path"], p["count"], p["rate"]) for p in paths] == [("$.x", 50, 0.5)]
    assert len(paths[0]["samples"]) == 5


def test_paths_are_aggregated_over_list_indexes_and_bounded() -> None:
    aggregator = DiffAggregator(Shadow(max_paths_per_route=2, samples_per_path=1))
    differences = [
        Difference(f"$.items[{i}].name", DiffKind.CHANGED, "a", "b") for i in range(3)
    ] + [Difference(f"$.f{i}", DiffKind.EXTRA, None, 1) for i in range(5)]
    assert aggregator.record("r", differences, None, "GET /")[0] == "$.items[*].name"
    paths = {p["path"]: p["count"] for p in aggregator.report()["r"]["paths"]}
    assert paths == {"$.items[*].name": 1, "$.f0": 1, "<other paths>": 4}


def test_compressed_bodies_are_compared_decoded() -> None:
    import gzip

    comparator = Comparator([], IgnoreRules())
    gz = {"content-encoding": "gzip"}
    legacy = Snapshot(200, gz, gzip.compress(b'{"a": 1, "b": 2}', mtime=0))
    new = Snapshot(200, gz, gzip.compress(b'{"a": 1, "b": 3}', mtime=1))
    assert [(d.path, d.kind) for d in comparator.compare(legacy, new)] == [
        ("$.b", DiffKind.CHANGED)
    ]
    broken = Snapshot(200, gz, b"not gzip")
    assert [d.path for d in comparator.compare(broken, Snapshot(200, gz, b"other"))] == ["body"]


def test_latency_histogram_is_cumulative_with_inclusive_bounds() -> None:
    from cutover.metrics import GatewayMetrics

    metrics = GatewayMetrics()
    for seconds in (0.001, 0.003, 20.0):
        metrics.observe("r", "new", 200, seconds)
    metrics.observe("r", "new", 503, 0.2)
    metrics.error("r", "new")
    text = metrics.render().decode()
    labels = 'backend="new",route="r"'
    assert 'cutover_request_duration_seconds_bucket{backend="new",le="0.001",route="r"} 1.0' in text
    assert 'cutover_request_duration_seconds_bucket{backend="new",le="0.005",route="r"} 2.0' in text
    assert 'cutover_request_duration_seconds_bucket{backend="new",le="0.25",route="r"} 3.0' in text
    assert 'cutover_request_duration_seconds_bucket{backend="new",le="+Inf",route="r"} 4.0' in text
    assert f"cutover_request_duration_seconds_count{{{labels}}} 4.0" in text
    assert f'cutover_requests_total{{{labels},status="5xx"}} 1.0' in text
    assert f"cutover_backend_errors_total{{{labels}}} 1.0" in text


def test_without_noise_calls_every_differing_path_is_reported() -> None:
    aggregator = DiffAggregator(Shadow(noise_cancelling=False))
    aggregator.record("r", [Difference("$.x", DiffKind.CHANGED, 1, 2)], None, "GET /")
    aggregator.record("r", [], None, "GET /")
    report = aggregator.report()["r"]
    assert (report["compared"], report["noise_compared"]) == (2, 0)
    assert [(p["path"], p["rate"]) for p in report["paths"]] == [("$.x", 0.5)]
