"""The project's metadata and licence (issue 16, point 7): what PyPI and `pip show` display."""

from __future__ import annotations

import tomllib

from tools.live_server import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_license_is_mit_and_the_file_names_the_authors() -> None:
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "the autograd-viz developers" in text


def test_metadata_is_complete() -> None:
    assert PROJECT["readme"] == "README.md" and (ROOT / "README.md").exists()
    assert PROJECT["authors"] == [{"name": "the autograd-viz developers"}]
    assert len(PROJECT["description"]) > 40
    assert "Programming Language :: Python :: 3.11" in PROJECT["classifiers"]
    # PEP 639: a licence expression and a licence classifier together are refused by builds.
    assert not [c for c in PROJECT["classifiers"] if c.startswith("License ::")]


def test_swagger_ui_dependency_is_pinned_as_in_constraints() -> None:
    pin = "swagger-ui-bundle-v2==5.31.0"
    assert pin in PROJECT["dependencies"]
    assert pin in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
