"""A label folded into a marker and back (label-marker.js): the marker reads the label's first
word, keeps its full text in its title, and unfolding gives back the label as drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser


def test_a_folded_label_is_a_small_marker_and_unfolds_as_drawn(page: Page, server: str) -> None:
    Playground(page, server).open()
    result = page.evaluate(
        """async () => {
          const { svg } = await import("/static/js/dom.js");
          const { fold, markerOf, unfold } = await import("/static/js/label-marker.js");
          const root = svg("svg", {});
          document.body.append(root);
          const label = svg("g", { class: "grad-label" },
            svg("rect", { x: 10, y: 20, width: 150, height: 27 }),
            svg("text", { x: 14, y: 32 }, "∂ [[-0.0123, 0.0000, 0.0211]]"),
            svg("text", { x: 14, y: 43 }, "hook: 1."),
            svg("title", {}, "tensor([[-0.0123, 0.0000, 0.0211]])"));
          label.dataset.edge = "e1";
          root.append(label);
          const drawn = label.outerHTML;
          const marker = markerOf(label);
          fold(label, marker);
          const rect = label.querySelector("rect").getBBox();
          const shown = [...label.querySelectorAll("text")].filter((t) => getComputedStyle(t).display !== "none").map((t) => t.textContent);
          const folded = { classes: label.getAttribute("class"), shown, title: label.querySelector("title").textContent,
            rect: [rect.x, rect.y, rect.width, rect.height] };
          unfold(label);
          const back = label.outerHTML;
          unfold(label); // a label that is not folded is left alone
          root.remove();
          return { marker, folded, same: back === drawn, still: label.outerHTML === drawn };
        }"""
    )
    assert result["marker"]["text"] == "∂…"
    folded = result["folded"]
    assert folded["classes"] == "grad-label is-marker"
    assert folded["shown"] == ["∂…"]
    assert folded["title"] == "tensor([[-0.0123, 0.0000, 0.0211]])"
    x, y, width, height = folded["rect"]
    assert (x, y) == (10, 20)  # where the label's box started: its move is the layout's
    assert width < 30 and height < 27
    assert result["same"] and result["still"]
