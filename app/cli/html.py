"""One HTML file that shows a graph without a server: the /embed page with everything inside.

The page is ``templates/embed.html`` rendered with its static files inlined: the stylesheet and
favicon as ``data:`` URLs, the icons as a sprite in the page, and the ES modules that
``embed-page.js`` reaches as ``data:`` URLs behind an import map (a module's ``./x.js`` becomes
the bare name ``agv/x.js``, since nothing resolves relative to a ``data:`` URL). A small script
answers the page's one request, ``POST /api/graph``, with the answer the program already got,
and puts the program in the fragment as a share link would (``#p=``). So the browser code is
the playground's own, unchanged: the file opens from ``file://``, offline, with the same
inspector, stepper and exercise mode.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import jinja2

from app.api.pages import code_spans
from app.assets import STATIC_DIR, TEMPLATES_DIR

ENTRY = "js/embed-page.js"
# A module's import of a sibling: `from "./x.js"`, `import "./x.js"`, `import("./x.js")`.
_SIBLING_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])\./([\w.-]+\.js)\2""")
_ICONS_URL = "/static/icons.svg"
_MIME = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}


def _data_url(text: str, mime: str) -> str:
    return f"data:{mime};charset=utf-8;base64,{base64.b64encode(text.encode()).decode()}"


def _module_text(name: str) -> str:
    """``static/js/<name>`` with its sibling imports made bare and the icon sprite in the page."""
    text = (STATIC_DIR / "js" / name).read_text(encoding="utf-8")
    text = _SIBLING_IMPORT.sub(lambda m: f"{m[1]}{m[2]}agv/{m[3]}{m[2]}", text)
    return text.replace(_ICONS_URL, "")


def _reachable_modules(entry: str) -> dict[str, str]:
    """Every module ``entry`` imports, directly or not: name -> rewritten text."""
    found: dict[str, str] = {}
    waiting = [entry]
    while waiting:
        name = waiting.pop()
        if name in found:
            continue
        found[name] = _module_text(name)
        raw = (STATIC_DIR / "js" / name).read_text(encoding="utf-8")
        waiting.extend(match[3] for match in _SIBLING_IMPORT.finditer(raw))
    return found


def _inline_static(relative: str) -> str:
    """The ``static()`` of the templates, for a page with no server: a ``data:`` URL (the
    icons: nothing, as the sprite is in the page and ``#name`` finds it)."""
    if relative == "icons.svg":
        return ""
    path = STATIC_DIR / relative
    if relative.startswith("js/"):
        return _data_url(_module_text(path.name), _MIME[".js"])
    return _data_url(path.read_text(encoding="utf-8"), _MIME[path.suffix])


def _script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


# The page's one request answered from the file; the program put in the fragment; the
# language fixed if one was asked for.
_OFFLINE_SCRIPT = """<script>
(() => {
  const answer = document.getElementById("agv-answer").textContent;
  const settings = JSON.parse(document.getElementById("agv-settings").textContent);
  const online = window.fetch.bind(window);
  const target = (input) => String(input instanceof Request ? input.url : input);
  window.fetch = (input, init) =>
    /\\/api\\/graph$/.test(target(input))
      ? Promise.resolve(new Response(answer, { status: 200, headers: { "content-type": "application/json" } }))
      : online(input, init);
  if (settings.lang) Object.defineProperty(navigator, "languages", { get: () => [settings.lang] });
  if (!location.hash) history.replaceState(null, "", "#" + settings.fragment);
})();
</script>"""


def self_contained_html(answer: dict[str, Any], code: str, lang: str | None) -> str:
    """The interactive viewer of ``answer`` (an /api/graph answer of ``code``) in one file."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=jinja2.select_autoescape()
    )
    env.filters["code"] = code_spans
    env.globals["static"] = _inline_static
    page = env.get_template("embed.html").render()
    modules = _reachable_modules(ENTRY.removeprefix("js/"))
    import_map = {"imports": {f"agv/{n}": _data_url(t, _MIME[".js"]) for n, t in modules.items()}}
    fragment = "p=" + base64.urlsafe_b64encode(code.encode()).decode().rstrip("=")
    settings = _script_json({"fragment": fragment, "lang": lang})
    head = "\n".join(
        [
            "<style>#open-playground { display: none; }</style>",
            f'<script type="importmap">{_script_json(import_map)}</script>',
            f'<script type="application/json" id="agv-answer">{_script_json(answer)}</script>',
            f'<script type="application/json" id="agv-settings">{settings}</script>',
            _OFFLINE_SCRIPT,
        ]
    )
    sprite = (STATIC_DIR / "icons.svg").read_text(encoding="utf-8")
    # Out of sight but rendered (a symbol under display: none may not draw in every browser).
    hidden_sprite = f'<div class="visually-hidden" aria-hidden="true">{sprite}</div>'
    page = page.replace("</head>", head + "\n</head>", 1)
    return re.sub(r"(<body[^>]*>)", lambda m: m[1] + hidden_sprite, page, count=1)
