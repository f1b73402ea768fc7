"""One palette: the browser's colours (app.css's --palette-* properties, which
static/js/palette.js reads) are the server's (app/draw/palette.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.draw.palette import EDGE_COLOR, EDGE_STYLES, FUNCTION_STYLE, ROLE_STYLES

ROOT = Path(__file__).resolve().parents[2]
APP_CSS = ROOT / "static" / "css" / "app.css"
PALETTE_JS = ROOT / "static" / "js" / "palette.js"
LEGEND_JS = ROOT / "static" / "js" / "legend.js"

PROPERTY = re.compile(r"--palette-([\w-]+)\s*:\s*([^;]+);")
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b")


def css_palette() -> dict[str, str]:
    """The --palette-* properties app.css declares, by name without the prefix."""
    found = PROPERTY.findall(APP_CSS.read_text(encoding="utf-8"))
    names = [name for name, _ in found]
    assert len(names) == len(set(names)), "a --palette-* property is declared twice (a theme?)"
    return {name: value.strip().lower() for name, value in found}


def server_palette() -> dict[str, str]:
    """The server's colours under the browser's names."""
    expected: dict[str, str] = {}
    for role, style in ROLE_STYLES.items():
        expected[f"{role}-fill"] = style["fillcolor"]
        expected[f"{role}-stroke"] = style["color"]
    expected["function-fill"] = FUNCTION_STYLE["fillcolor"]
    expected["function-stroke"] = FUNCTION_STYLE["color"]
    for kind, style in EDGE_STYLES.items():
        expected[f"edge-{kind}"] = style.get("color", EDGE_COLOR)
    return {name: value.lower() for name, value in expected.items()}


def test_browser_colours_are_the_servers() -> None:
    assert css_palette() == server_palette()


def test_palette_js_reads_every_role_and_edge_kind_the_server_draws() -> None:
    source = PALETTE_JS.read_text(encoding="utf-8")
    roles = re.search(r"const ROLES = \[([^\]]*)\]", source)
    assert roles is not None, "palette.js lists its roles in `const ROLES = [...]`"
    assert re.findall(r'"(\w+)"', roles.group(1)) == list(ROLE_STYLES)
    edges = dict(re.findall(r'^\s+(\w+): \{ stroke: colour\("edge-(\w+)"\)', source, re.MULTILINE))
    assert edges == {kind: kind for kind in EDGE_STYLES}


@pytest.mark.parametrize("role", list(ROLE_STYLES))
def test_role_strokes_follow_the_servers(role: str) -> None:
    """Dashed where Graphviz draws the box dashed; wider where it gets a penwidth."""
    source = PALETTE_JS.read_text(encoding="utf-8")
    strokes = dict(re.findall(r"^\s+(\w+): \{ ([^}]*) \},$", source, re.MULTILINE))
    style = ROLE_STYLES[role]
    assert ("dash:" in strokes.get(role, "")) == ("dashed" in style.get("style", ""))
    width = re.search(r"width: (\d+)", strokes.get(role, ""))
    assert (width.group(1) if width else None) == style.get("penwidth")


@pytest.mark.parametrize("path", [PALETTE_JS, LEGEND_JS], ids=lambda path: path.name)
def test_browser_palette_has_no_second_copy(path: Path) -> None:
    """The scripts read the colours from app.css; none is written out in them."""
    assert HEX_COLOUR.findall(path.read_text(encoding="utf-8")) == []
