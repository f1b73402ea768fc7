"""The DOM helpers (dom.js): SVG parsing keeps nothing that could run."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.playground import Playground

pytestmark = pytest.mark.browser


def test_svg_parsing_strips_active_content(page: Page, server: str) -> None:
    Playground(page, server).open()
    result = page.evaluate(
        """async () => {
          const { parseSvg } = await import("/static/js/dom.js");
          const svg = parseSvg('<?xml version="1.0"?>\\n<!-- c -->\\n<svg xmlns="http://www.w3.org/2000/svg"'
            + ' viewBox="0 0 10 10" onload="x()"><g id="a" class="node" ONCLICK="x()"><title>n0</title>'
            + '<a href=" javascript:x()"><text x="1" y="2">a &amp; &#45;b</text></a></g>'
            + '<script>x()</script><foreignObject><p>hi</p></foreignObject></svg>\\n');
          const a = svg.querySelector("a");
          return {
            root: svg.localName, ns: svg.namespaceURI, viewBox: svg.getAttribute("viewBox"),
            onload: svg.hasAttribute("onload"), onclick: svg.querySelector("g").hasAttribute("onclick"),
            href: a.hasAttribute("href"), text: svg.querySelector("text").textContent,
            active: svg.querySelectorAll("script, foreignObject").length, inPage: svg.ownerDocument === document,
            broken: parseSvg("<p>not svg</p>"),
          };
        }"""
    )
    assert result == {
        "root": "svg",
        "ns": "http://www.w3.org/2000/svg",
        "viewBox": "0 0 10 10",
        "onload": False,
        "onclick": False,
        "href": False,
        "text": "a & -b",
        "active": 0,
        "inPage": True,
        "broken": None,
    }


def test_svg_parsing_reads_a_url_as_the_browser_would(page: Page, server: str) -> None:
    """A javascript: URL with tabs, newlines or leading controls in it is one to the URL parser,
    and an animation can write one into a link after parsing: none is left."""
    Playground(page, server).open()
    result = page.evaluate(
        """async () => {
          const { parseSvg } = await import("/static/js/dom.js");
          const svg = parseSvg('<svg xmlns="http://www.w3.org/2000/svg">'
            + '<a id="tab" href="java&#9;script:x()"><text>a</text></a>'
            + '<a id="newline" href="java&#10;scr&#13;ipt:x()"><text>b</text></a>'
            + '<a id="control" href="&#1;&#31; JavaScript:x()"><text>c</text></a>'
            + '<a id="plain" href="https://pytorch.org/"><text>d</text></a>'
            + '<a id="animated"><animate attributeName="href" values="x;javascript:x()"/>'
            + '<set attributeName="href" to="javascript:x()"/><text>e</text></a></svg>');
          const href = (id) => svg.querySelector("#" + id).getAttribute("href");
          return {
            tab: href("tab"), newline: href("newline"), control: href("control"),
            plain: href("plain"), animations: svg.querySelectorAll("animate, set").length,
          };
        }"""
    )
    assert result == {
        "tab": None,
        "newline": None,
        "control": None,
        "plain": "https://pytorch.org/",
        "animations": 0,
    }
