"""Graphviz runs with only its core renderers and the dot layout (no Pango text measuring)."""

from __future__ import annotations

import os
import subprocess

import pytest

from app.draw.graphviz_plugins import dot_environment, plugin_files


def test_the_two_plugins_are_found_on_debian() -> None:
    files = plugin_files()
    assert files is not None and set(files) == {"core", "dot_layout"}


def test_a_dot_process_loads_only_core_and_dot_layout() -> None:
    environment = dot_environment()
    assert environment is not None
    folder = environment["GVBINDIR"]
    assert sorted(name for name in os.listdir(folder) if name.endswith(".so.6")) == [
        "libgvplugin_core.so.6",
        "libgvplugin_dot_layout.so.6",
    ]
    done = subprocess.run(
        ["dot", "-v", "-Tsvg"],
        input=b'digraph { a [label="AddmmBackward0"] }',
        capture_output=True,
        env=environment,
        check=True,
    )
    loaded = [line for line in done.stderr.decode().splitlines() if "plugin library" in line]
    assert loaded and all("core" in line or "dot_layout" in line for line in loaded)
    assert b"pango" not in done.stderr


def test_without_a_writable_temp_folder_dot_keeps_its_plugins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A read-only /tmp (some containers) must not break drawing: dot then loads every plugin."""
    import tempfile

    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError("read-only file system")

    dot_environment.cache_clear()
    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    try:
        assert dot_environment() is None
    finally:
        dot_environment.cache_clear()
