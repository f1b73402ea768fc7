"""Settings from ``AGV_*`` variables: parsed strictly, refused with a clear message, never
failing open (issue 13, point 7)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import Settings, SettingsError, setting_names, settings_from_env
from app.limits import Limits

ROOT = Path(__file__).resolve().parents[2]


def _refusal(environ: dict[str, str]) -> str:
    with pytest.raises(SettingsError) as caught:
        settings_from_env(environ)
    return str(caught.value)


def test_misspelt_boolean_does_not_turn_seccomp_off() -> None:
    message = _refusal({"AGV_SECCOMP": "ture"})
    assert "AGV_SECCOMP='ture'" in message and "true/false" in message


@pytest.mark.parametrize(
    ("word", "value"),
    [("true", True), ("TRUE", True), ("1", True), ("yes", True)]
    + [("false", False), ("False", False), ("0", False), ("no", False)],
)
def test_booleans_from_the_six_words(word: str, value: bool) -> None:
    assert settings_from_env({"AGV_SECCOMP": word}).seccomp is value


@pytest.mark.parametrize("word", ["ture", "on", "off", "", "2", "enabled"])
def test_other_boolean_words_are_refused(word: str) -> None:
    assert "AGV_SECCOMP" in _refusal({"AGV_SECCOMP": word})


@pytest.mark.parametrize("value", ["-3", "0"])
def test_workers_below_one_are_refused(value: str) -> None:
    assert f"AGV_WORKERS={value}: must be a finite number above 0" in _refusal(
        {"AGV_WORKERS": value}
    )


def test_workers_that_are_not_a_number_are_refused_by_name() -> None:
    message = _refusal({"AGV_WORKERS": "abc"})
    assert "AGV_WORKERS='abc'" in message and "integer" in message


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_timeouts_must_be_finite_and_positive(value: str) -> None:
    assert "AGV_EVAL_TIMEOUT_S" in _refusal({"AGV_EVAL_TIMEOUT_S": value})


def test_negative_counts_are_refused_where_zero_is_allowed() -> None:
    assert settings_from_env({"AGV_RATE_LIMIT_PER_S": "0"}).rate_limit_per_s == 0
    assert "0 or more" in _refusal({"AGV_RATE_LIMIT_PER_S": "-1"})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AGV_WORKERS", str(10**50)),  # would fork until the machine gives out
        ("AGV_RENDER_MEMORY_MB", str(2**50)),  # overflows setrlimit in each drawing process
        ("AGV_EVAL_TIMEOUT_S", "1e308"),  # overflows the workers' CPU limit
        ("AGV_HEADER_TIMEOUT_S", "1e300"),
        ("AGV_LIMITS__MAX_CODE_CHARS", str(2**64)),
    ],
)
def test_numbers_past_what_they_can_mean_are_refused(name: str, value: str) -> None:
    assert f"{name}=" in _refusal({name: value}) and "must be at most" in _refusal({name: value})


def test_the_largest_sensible_values_are_kept() -> None:
    settings = settings_from_env({"AGV_WORKERS": "64", "AGV_EVAL_TIMEOUT_S": "3600"})
    assert (settings.workers, settings.eval_timeout_s) == (64, 3600)


def test_unknown_name_is_refused_with_a_guess_and_the_list() -> None:
    message = _refusal({"AGV_WROKERS": "4"})
    assert "AGV_WROKERS is not a setting (did you mean AGV_WORKERS?)" in message
    assert all(name in message for name in setting_names())


def test_tool_variables_are_not_server_settings() -> None:
    environ = {"AGV_CHROMIUM": "/usr/bin/chromium", "AGV_UPDATE_SCREENSHOTS": "1"}
    assert settings_from_env(environ) == Settings()


def test_other_variables_are_ignored() -> None:
    assert settings_from_env({"PATH": "/bin", "AGV": "x", "agv_workers": "x"}) == Settings()


def test_nested_limits_are_settable() -> None:
    settings = settings_from_env({"AGV_LIMITS__MAX_GRAPH_NODES": "12", "AGV_WORKERS": "3"})
    assert settings == Settings(workers=3, limits=Limits(max_graph_nodes=12))


def test_limits_must_be_positive() -> None:
    assert "AGV_LIMITS__MAX_CODE_CHARS=0" in _refusal({"AGV_LIMITS__MAX_CODE_CHARS": "0"})


def test_every_problem_is_named_in_one_paragraph() -> None:
    message = _refusal({"AGV_SECCOMP": "ture", "AGV_WORKERS": "-3", "AGV_CACHE_MB": "many"})
    assert "\n" not in message
    assert all(name in message for name in ("AGV_SECCOMP", "AGV_WORKERS", "AGV_CACHE_MB"))


def test_every_field_has_an_environment_name() -> None:
    expected = [f"AGV_{item.name.upper()}" for item in dataclasses.fields(Settings)]
    expected.remove("AGV_LIMITS")
    expected += [f"AGV_LIMITS__{item.name.upper()}" for item in dataclasses.fields(Limits)]
    assert sorted(setting_names()) == sorted(expected)


def test_trusted_proxies_are_a_comma_separated_list_of_networks() -> None:
    environ = {"AGV_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7,2001:db8::/48"}
    assert settings_from_env(environ).trusted_proxies == (
        "10.0.0.0/8",
        "192.0.2.7",
        "2001:db8::/48",
    )
    assert "'proxy.example'" in _refusal({"AGV_TRUSTED_PROXIES": "10.0.0.1,proxy.example"})


def test_settings_stay_frozen_and_hashable() -> None:
    settings = settings_from_env({"AGV_TRUSTED_PROXIES": "10.0.0.1"})
    assert hash(settings) == hash(Settings(trusted_proxies=("10.0.0.1",)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.workers = 3  # type: ignore[misc]


def test_in_flight_cap_defaults_to_half_the_workers() -> None:
    assert Settings().in_flight_per_client() == 1  # 2 workers: one client never holds both
    assert Settings(workers=1).in_flight_per_client() == 1
    assert Settings(workers=8).in_flight_per_client() == 4
    assert Settings(workers=8, max_in_flight_per_client=2).in_flight_per_client() == 2


def test_server_refuses_to_start_with_one_paragraph_and_no_traceback() -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("AGV_")}
    environ |= {"AGV_SECCOMP": "ture", "AGV_WORKERS": "abc"}
    done = subprocess.run(
        [sys.executable, "-m", "app.serve", "--port", "1"],
        check=False,
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "AGV_SECCOMP" in lines[0] and "AGV_WORKERS" in lines[0]


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Settings") :]
    rows = {
        line.split("|")[1].strip().strip("`") for line in table.splitlines() if "| `AGV_" in line
    }
    names = {name for name in setting_names() if not name.startswith("AGV_LIMITS__")}
    assert names | {"AGV_LIMITS__<NAME>"} == rows
