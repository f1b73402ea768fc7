"""Service settings, read once from ``AGV_*`` environment variables, strictly.

Every field of ``Settings`` is ``AGV_<FIELD>``; a field of its ``limits`` is
``AGV_LIMITS__<FIELD>``. A value that does not parse, a number out of range, a boolean other
than true/false, 1/0, yes/no, or an ``AGV_`` name that is no setting stops the server before it
starts (``SettingsError``, one paragraph naming each problem): a typo never turns a protection
off in silence.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import ipaddress
import math
import os
import re
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pydantic

from app.limits import Limits

PREFIX = "AGV_"
NESTED = "__"


@dataclass(frozen=True)
class Settings:
    """Everything an operator may tune; each field can be set as ``AGV_<FIELD>`` in the environment."""

    workers: int = 2
    worker_recycle_after: int = 1000
    eval_timeout_s: float = 5.0
    worker_start_timeout_s: float = 60.0
    queue_wait_s: float = 2.0
    max_waiting: int = 64
    rate_limit_per_s: float = 10.0
    rate_limit_burst: int = 30
    cache_entries: int = 2048
    cache_mb: int = 128
    render_timeout_s: float = 10.0
    # Drawing (app/draw/drawing_pool.py): processes that draw at once, drawings that may wait
    # for one, and each drawing process's address space and resident memory before recycling.
    render_workers: int = 2
    render_max_waiting: int = 16
    render_memory_mb: int = 1024
    render_max_rss_mb: int = 300
    worker_memory_mb: int = 2048
    worker_max_rss_mb: int = 600
    # A worker whose resident memory after a program has grown by this much since it started
    # is replaced: a large graph, once freed, leaves tens of MiB of private memory behind.
    worker_max_growth_mb: int = 64
    seccomp: bool = True
    limits: Limits = field(default_factory=Limits)
    # Requests of one client running or waiting for a worker at once; None: half the workers,
    # at least 1 (with the default 2 workers: 1, so one client never holds both).
    max_in_flight_per_client: int | None = None
    # Proxies whose X-Forwarded-For is believed (addresses or networks); empty: the socket peer
    # is the client.
    trusted_proxies: tuple[str, ...] = ()
    # Web origins (``https://course.example.edu``) whose pages' scripts may call the API
    # (CORS); empty: none but this server's own pages. ``*``: any page.
    cors_origins: tuple[str, ...] = ()
    # A request's head (request line and headers), then its body, must arrive within these.
    header_timeout_s: float = 10.0
    body_timeout_s: float = 30.0

    def in_flight_per_client(self) -> int:
        """The per-client cap on requests in flight, the default worked out."""
        if self.max_in_flight_per_client is not None:
            return self.max_in_flight_per_client
        return max(1, self.workers // 2)


class SettingsError(ValueError):
    """The environment's ``AGV_*`` settings are wrong; the message names every problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "autograd-viz will not start: its settings are wrong: "
            + "; ".join(problems)
            + ". Fix or unset these environment variables (the README's Settings table lists every setting)."
        )


# AGV_ variables that belong to the tests and tools, not to the server: never refused.
NOT_SERVER_SETTINGS = {
    "AGV_CHROMIUM": "tools/chromium.py: the browser the tests drive",
    "AGV_UPDATE_SCREENSHOTS": "tests/browser/test_docs_screenshots.py: rewrite docs/img",
}

# Numbers are finite and never negative; these must also be above zero (a limit of 0 would
# refuse everything, a timeout of 0 would end everything at once).
POSITIVE = frozenset(
    {
        "workers",
        "worker_recycle_after",
        "eval_timeout_s",
        "worker_start_timeout_s",
        "rate_limit_burst",
        "render_timeout_s",
        "render_workers",
        "render_memory_mb",
        "render_max_rss_mb",
        "worker_memory_mb",
        "worker_max_rss_mb",
        "worker_max_growth_mb",
        "max_in_flight_per_client",
        "header_timeout_s",
        "body_timeout_s",
        "limits",  # every field of Limits
    }
)

# And no number is larger than it can mean: past these a setting does not turn a limit up, it
# breaks what it feeds (``AGV_RENDER_MEMORY_MB=2**50`` overflows ``setrlimit`` in every drawing
# process, ``AGV_EVAL_TIMEOUT_S=1e308`` the workers' CPU limit, ``AGV_WORKERS=10**50`` forks
# until the machine gives out). Any other number: at most a C int.
_DAY_S = 86_400
_TIB_IN_MB = 2**20
MAXIMUM: dict[str, int] = {
    "workers": 1024,
    "render_workers": 1024,
    "eval_timeout_s": _DAY_S,
    "worker_start_timeout_s": _DAY_S,
    "queue_wait_s": _DAY_S,
    "render_timeout_s": _DAY_S,
    "header_timeout_s": _DAY_S,
    "body_timeout_s": _DAY_S,
    "render_memory_mb": _TIB_IN_MB,
    "render_max_rss_mb": _TIB_IN_MB,
    "worker_memory_mb": _TIB_IN_MB,
    "worker_max_rss_mb": _TIB_IN_MB,
    "worker_max_growth_mb": _TIB_IN_MB,
    "cache_mb": _TIB_IN_MB,
}
LARGEST_NUMBER = 2**31 - 1

# A web origin as browsers send it in ``Origin``: scheme, host, optional port, nothing more.
ORIGIN = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::\d{1,5})?|https?://\[[0-9A-Fa-f:.]+\](?::\d{1,5})?"
)

BOOLEAN_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@dataclass(frozen=True)
class _Entry:
    """One settable value: its environment name, where it goes, its type."""

    env_name: str
    path: tuple[str, ...]
    kind: Any


def _entries(cls: type[Any], path: tuple[str, ...] = ()) -> Iterator[_Entry]:
    hints = typing.get_type_hints(cls)
    for item in dataclasses.fields(cls):
        kind = hints[item.name]
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            yield from _entries(kind, (*path, item.name))
        else:
            names = (*path, item.name)
            yield _Entry(PREFIX + NESTED.join(names).upper(), names, kind)


def setting_names() -> list[str]:
    """Every ``AGV_`` name the server reads."""
    return [entry.env_name for entry in _entries(Settings)]


def settings_from_env(environ: Mapping[str, str]) -> Settings:
    """The settings ``environ`` asks for, or ``SettingsError`` naming each problem."""
    entries = {entry.env_name: entry for entry in _entries(Settings)}
    unknown = [
        name
        for name in sorted(environ)
        if name.startswith(PREFIX) and name not in entries and name not in NOT_SERVER_SETTINGS
    ]
    problems = [_unknown(name, list(entries)) for name in unknown]
    if unknown:
        problems.append(f"the settings are {', '.join(entries)}")
    values: dict[str, Any] = {}
    for name, entry in entries.items():
        raw = environ.get(name)
        if raw is None:
            continue
        try:
            value = pydantic.TypeAdapter(entry.kind).validate_python(_prepared(raw, entry.kind))
        except ValueError as exc:  # pydantic's ValidationError is one
            problems.append(f"{name}={raw!r}: {_reason(exc)}")
            continue
        *outer, last = entry.path
        target = values
        for part in outer:
            target = target.setdefault(part, {})
        target[last] = value
    settings: Settings = _build(Settings, values)
    problems += range_problems(settings)
    if problems:
        raise SettingsError(problems)
    return settings


def range_problems(settings: Settings) -> list[str]:
    """What in ``settings`` is out of range: each number, each trusted proxy and CORS origin."""
    problems = []
    for entry in _entries(Settings):
        value: Any = settings
        for part in entry.path:
            value = getattr(value, part)
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        positive = entry.path[0] in POSITIVE
        maximum = MAXIMUM.get(entry.path[0], LARGEST_NUMBER)
        if not math.isfinite(value) or value < 0 or (positive and value == 0):
            bound = "above 0" if positive else "0 or more"
            problems.append(f"{entry.env_name}={value!r}: must be a finite number {bound}")
        elif value > maximum:
            problems.append(f"{entry.env_name}={value!r}: must be at most {maximum}")
    for proxy in settings.trusted_proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            problems.append(f"AGV_TRUSTED_PROXIES: {proxy!r} is not an IP address or network")
    for origin in settings.cors_origins:
        if origin != "*" and not ORIGIN.fullmatch(origin):
            problems.append(
                f"AGV_CORS_ORIGINS: {origin!r} is not an origin"
                " (scheme://host or scheme://host:port, no path, or *)"
            )
    return problems


def _prepared(raw: str, kind: Any) -> object:
    """The raw text as pydantic should see it: booleans from a short list of words, tuples
    from comma-separated items; everything else as text for pydantic to parse."""
    if kind is bool:
        word = raw.strip().lower()
        if word not in BOOLEAN_WORDS:
            raise ValueError("not a boolean (use true/false, 1/0 or yes/no)")
        return BOOLEAN_WORDS[word]
    if typing.get_origin(kind) is tuple:
        return tuple(item.strip() for item in raw.split(",") if item.strip())
    return raw.strip()


def _reason(exc: ValueError) -> str:
    if isinstance(exc, pydantic.ValidationError):
        return "; ".join(error["msg"] for error in exc.errors())
    return str(exc)


def _build(cls: type[Any], values: dict[str, Any]) -> Any:
    """``cls`` from ``values``, the nested dicts as the dataclasses they stand for."""
    hints = typing.get_type_hints(cls)
    return cls(**{k: _build(hints[k], v) if isinstance(v, dict) else v for k, v in values.items()})


def _unknown(name: str, valid: list[str]) -> str:
    close = difflib.get_close_matches(name, valid, n=1)
    guess = f" (did you mean {close[0]}?)" if close else ""
    return f"{name} is not a setting{guess}"


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings (cached; tests pass their own to ``create_app``)."""
    return settings_from_env(os.environ)
