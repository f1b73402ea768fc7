"""Graphviz with only the plugins we draw with: the core renderers and the dot layout.

By default Graphviz loads every installed plugin, and with the pango plugin it measures each
label through Pango and fontconfig with the server's own fonts: 40 to 50% of the layout time
of a gallery graph (training_loop, 19 nodes: 1.1 ms with Pango, 0.6 ms without). Without a
text-layout plugin Graphviz sizes labels from its built-in Helvetica metrics, which is the
font the SVG asks the browser for, so boxes fit the text the reader sees at least as well as
boxes measured with whatever fallback font the server has.

In this process the C library gets a context with the two plugins preloaded (no file is
read); a ``dot`` process gets a plugin folder holding just those two (``GVBINDIR``), made
once. Both lay out the same graph identically (``tests/unit/test_render.py``).
"""

from __future__ import annotations

import ctypes
import functools
import logging
import os
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

_PLUGINS = ("core", "dot_layout")
_SEARCH = ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib")


class _Symbol(ctypes.Structure):
    """Graphviz's ``lt_symlist_t``: a plugin library's name and address."""

    _fields_ = (("name", ctypes.c_char_p), ("address", ctypes.c_void_p))


@functools.cache
def plugin_files() -> dict[str, Path] | None:
    """The shared objects of the two plugins, or None where they cannot be found."""
    for folder in _SEARCH:
        found = {name: Path(folder, "graphviz", f"libgvplugin_{name}.so.6") for name in _PLUGINS}
        if all(path.exists() for path in found.values()):
            return found
    return None


def preloaded_symbols() -> ctypes.Array[_Symbol] | None:
    """The argument of ``gvContextPlugins``: each plugin's library table, then a terminator."""
    files = plugin_files()
    if files is None:
        return None
    entries = []
    for name, path in files.items():
        library = ctypes.CDLL(str(path))
        symbol = f"gvplugin_{name}_LTX_library"
        address = ctypes.cast(getattr(library, symbol), ctypes.c_void_p).value
        entries.append(_Symbol(symbol.encode(), address))
    entries.append(_Symbol(None, None))
    return (_Symbol * len(entries))(*entries)


@functools.cache
def dot_environment() -> dict[str, str] | None:
    """The environment for a ``dot`` process that loads only the two plugins (None: as is)."""
    files = plugin_files()
    if files is None:
        return None
    try:
        folder = Path(tempfile.mkdtemp(prefix="agv-graphviz-"))
        for path in files.values():
            (folder / path.name).symlink_to(path)
        environment = {**os.environ, "GVBINDIR": str(folder)}
        subprocess.run(["dot", "-c"], env=environment, check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("Graphviz plugin folder not made (%s); dot loads every plugin", exc)
        return None
    return environment
