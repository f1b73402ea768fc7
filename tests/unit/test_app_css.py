"""app.css: rules that keep restyling cheap on drawings of thousands of nodes."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_CSS = ROOT / "static" / "css" / "app.css"

COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
SELECTOR = re.compile(r"([^{}]+)\{")
CLASS_ATTRIBUTE = re.compile(r"\[\s*class\s*[~|^$*]?=")


def selectors() -> list[str]:
    """Every selector list of app.css, comments left out."""
    text = COMMENT.sub("", APP_CSS.read_text(encoding="utf-8"))
    return [" ".join(found.split()) for found in SELECTOR.findall(text)]


def test_selectors_are_found() -> None:
    assert ".graph-svg .node" in {
        part.strip() for found in selectors() for part in found.split(",")
    }


def test_no_selector_matches_on_the_class_attribute() -> None:
    # With one ([class*="fold-"]), Chromium restyled everything inside an element whose class
    # changed: a class toggled on the graph viewport or its <svg> restyled 20,000 nodes.
    offending = [found for found in selectors() if CLASS_ATTRIBUTE.search(found)]
    assert offending == []
