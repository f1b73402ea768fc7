"""Where the browser's files are: ``static/`` and ``templates/``.

In a checkout they sit beside ``app/``; an installed wheel carries them inside the package, as
``app/static`` and ``app/templates`` (pyproject.toml maps them there; docs/architecture.md says
why). The package's own copy wins, so an install never reads a stray checkout's files.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _located(name: str) -> Path:
    """``app/<name>`` when installed, else ``<checkout>/<name>``."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


STATIC_DIR = _located("static")
TEMPLATES_DIR = _located("templates")
