"""``python -m app.serve`` behind a trusted proxy: uvicorn and the app's rate limit take the
client from the same list, AGV_TRUSTED_PROXIES (docs/deploy.md, "Which proxy to trust")."""

from __future__ import annotations

import http.client
import json
from pathlib import Path

from tools.live_server import HOST, running

BEHIND_NGINX = {
    "AGV_TRUSTED_PROXIES": "127.0.0.1",
    "AGV_RATE_LIMIT_PER_S": "0.01",
    "AGV_RATE_LIMIT_BURST": "1",
}


def _post(port: int, forwarded_for: str) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    body = json.dumps({"code": "x = 1", "svg": False})
    headers = {"content-type": "application/json", "x-forwarded-for": forwarded_for}
    connection.request("POST", "/api/graph", body=body, headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def test_a_trusted_proxy_names_the_client_for_uvicorn_and_the_rate_limit(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with running(BEHIND_NGINX, log) as server:
        statuses = [_post(server.port, address) for address in ("192.0.2.1", "192.0.2.2")]
        again = _post(server.port, "192.0.2.1")
    assert statuses == [200, 200]  # two clients, one request each
    assert again == 429  # the first client, over its rate
    lines = [line for line in log.read_text().splitlines() if "POST /api/graph" in line]
    # uvicorn's access log names the clients, not the proxy (it used to say 127.0.0.1).
    assert [line.split()[1].rsplit(":", 1)[0] for line in lines] == [
        "192.0.2.1",
        "192.0.2.2",
        "192.0.2.1",
    ]
