"""app/serve.py: uvicorn's proxy options come from AGV_TRUSTED_PROXIES; the port from $PORT."""

from __future__ import annotations

import pytest
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.config import Settings
from app.serve import default_port, proxy_options


def test_no_trusted_proxy_means_uvicorn_believes_no_proxy_header() -> None:
    assert proxy_options(Settings()) == {"proxy_headers": False}


def test_trusted_proxies_are_the_addresses_uvicorn_believes_forwarded_headers_from() -> None:
    options = proxy_options(Settings(trusted_proxies=("10.0.0.0/8", "192.0.2.7")))
    assert options == {"proxy_headers": True, "forwarded_allow_ips": "10.0.0.0/8,192.0.2.7"}


@pytest.mark.parametrize(
    ("peer", "believed"), [("10.1.2.3", True), ("192.0.2.7", True), ("192.0.2.8", False)]
)
def test_uvicorn_reads_the_list_as_the_app_does(peer: str, believed: bool) -> None:
    """The string app.serve passes is one uvicorn's middleware parses as those networks."""
    options = proxy_options(Settings(trusted_proxies=("10.0.0.0/8", "192.0.2.7")))
    middleware = ProxyHeadersMiddleware(lambda *_: None, options["forwarded_allow_ips"])  # type: ignore[arg-type]
    assert (peer in middleware.trusted_hosts) is believed


def test_port_comes_from_the_environment_when_set() -> None:
    assert default_port({}) == 8000
    assert default_port({"PORT": "9090"}) == 9090
    assert default_port({"PORT": " "}) == 8000


@pytest.mark.parametrize("value", ["http", "0", "70000", "-1"])
def test_a_port_that_is_no_port_is_refused_by_name(value: str) -> None:
    with pytest.raises(ValueError, match=f"PORT={value!r}"):
        default_port({"PORT": value})
