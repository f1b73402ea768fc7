"""The rectangles' index (box-index.js): what it says covers a rectangle is what a plain scan
of every rectangle, done here in Python, says."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import Page

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser

Box = dict[str, float]


def shared(a: Box, b: Box) -> float:
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return w * h if w > 0 and h > 0 else 0.0


def random_box(rng: random.Random) -> Box:
    """A label-sized rectangle somewhere around the origin."""
    return {
        "x": rng.uniform(-300, 300),
        "y": rng.uniform(-300, 300),
        "w": rng.uniform(1, 180),
        "h": rng.uniform(1, 40),
    }


def test_overlap_is_the_weighted_area_a_full_scan_finds(page: Page, server: str) -> None:
    Playground(page, server).open()
    rng = random.Random(14)
    filed = [{**random_box(rng), "weight": rng.choice([1, 2, 3])} for _ in range(150)]
    asked = [random_box(rng) for _ in range(60)]
    # Rectangles that only touch share nothing; a rectangle is counted once however many
    # buckets it reaches.
    asked += [{"x": 0, "y": 0, "w": 10, "h": 10}]
    filed += [{"x": 10, "y": 0, "w": 5, "h": 5, "weight": 1}]
    found = page.evaluate(
        """async ([filed, asked]) => {
          const { createBoxIndex } = await import("/static/js/box-index.js");
          const index = createBoxIndex();
          for (const box of filed) index.add({ ...box });
          return asked.map((box) => index.overlap(box));
        }""",
        [filed, asked],
    )
    expected = [sum(f["weight"] * shared(a, f) for f in filed) for a in asked]
    assert found == pytest.approx(expected)
    assert any(value > 0 for value in expected)  # the sample has overlaps to find


def test_overlap_stops_counting_once_enough_is_found(page: Page, server: str) -> None:
    Playground(page, server).open()
    found = page.evaluate(
        """async () => {
          const { createBoxIndex } = await import("/static/js/box-index.js");
          const index = createBoxIndex();
          // Two rectangles in buckets far apart: the first bucket's alone is enough.
          index.add({ x: 0, y: 0, w: 10, h: 10, weight: 1 });
          index.add({ x: 500, y: 0, w: 10, h: 10, weight: 1 });
          const wide = { x: 0, y: 0, w: 510, h: 10 };
          return [index.overlap(wide), index.overlap(wide, 50)];
        }"""
    )
    assert found[0] == 200
    assert 100 <= found[1] < 200
