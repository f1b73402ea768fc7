"""The API's interactive documentation at ``/docs``: Swagger UI from the ``swagger-ui-bundle-v2``
package, served by the app itself (no CDN: it works offline and under the page's CSP)."""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
ASSETS_DIR = Path(str(swagger_ui_bundle.swagger_ui_path))

# Every script and stylesheet is a file of this server (tests/browser/test_api_docs.py opens an
# operation under this policy and sees no violation); Swagger UI's icons are data: URLs.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>autograd-viz API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
"""

# The page's one script of our own: Swagger UI reads the app's OpenAPI document.
START = """SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
});
"""

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
async def docs_page() -> HTMLResponse:
    """Swagger UI for the OpenAPI document at ``/openapi.json``."""
    headers = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"}
    return HTMLResponse(PAGE, headers=headers)


@router.get("/docs/start.js")
async def docs_script() -> Response:
    """The script that starts Swagger UI on the page."""
    return Response(START, media_type="text/javascript")


def mount_docs(app: FastAPI) -> None:
    """Serve the docs page and Swagger UI's files (the app is built with ``docs_url=None``)."""
    app.include_router(router)
    app.mount(ASSETS, StaticFiles(directory=ASSETS_DIR), name="docs-assets")
