"""Configuration validation: errors name the YAML line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cutover.config import ConfigError, Mode, load_config, parse_config

VALID = """\
legacy:
  url: http://127.0.0.1:5000
new:
  url: http://127.0.0.1:8000
routes:
  - name: items
    path: /api/items/{id}
    methods: [get]
    mode: canary
    percent: 10
"""


def test_valid_config() -> None:
    config = parse_config(VALID)
    assert config.routes[0].methods == ["GET"]
    assert config.routes[0].mode is Mode.CANARY
    assert config.default.name == "default"


def test_bad_mode_names_its_line() -> None:
    text = VALID.replace("mode: canary", "mode: sideways")
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "cutover.yaml")
    assert caught.value.problems[0][0] == 9
    assert "cutover.yaml:9: routes.0.mode" in str(caught.value)


def test_percent_out_of_range_and_unknown_key_name_their_lines() -> None:
    text = VALID.replace("percent: 10", "percent: 150\n    colour: blue")
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    lines = sorted(line for line, _where, _message in caught.value.problems)
    assert lines == [10, 11]


def test_missing_backend_and_bad_url() -> None:
    text = "legacy:\n  url: ftp://example\nroutes: []\n"
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    problems = {where: line for line, where, _message in caught.value.problems}
    assert problems["legacy.url"] == 2
    assert "new" in problems


def test_yaml_syntax_error_names_its_line() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config("legacy:\n  url: [unclosed\nnew: {}\n")
    assert caught.value.problems[0][0] is not None
    assert caught.value.problems[0][1] == "yaml"


def test_duplicate_route_names_and_non_mapping_document() -> None:
    text = VALID + "  - name: items\n    path: /other\n"
    with pytest.raises(ConfigError, match="used twice"):
        parse_config(text)
    with pytest.raises(ConfigError, match="mapping"):
        parse_config("- just\n- a list\n")


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_config(tmp_path / "absent.yaml")


def test_the_shipped_example_is_valid() -> None:
    example = Path(__file__).resolve().parents[2] / "cutover.example.yaml"
    config = load_config(example)
    assert config.routes


def test_default_route_may_omit_its_name() -> None:
    config = parse_config(VALID + "default: {mode: new}\n")
    assert (config.default.name, config.default.mode) == ("default", Mode.NEW)
