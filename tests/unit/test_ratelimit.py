"""Admission per client: the token bucket, who the client is, its requests in flight."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress

import pytest

from app.api.client_id import client_key
from app.api.in_flight import InFlightLimit
from app.api.ratelimit import RateLimiter
from tests.event_loop import run


def test_burst_then_refill() -> None:
    limiter = RateLimiter(rate=2.0, burst=3)
    assert [limiter.check("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.check("a", now=0.0) == 0.5
    assert limiter.check("a", now=0.5) == 0.0


def test_clients_are_separate() -> None:
    limiter = RateLimiter(rate=1.0, burst=1)
    assert limiter.check("a", now=0.0) == 0.0
    assert limiter.check("b", now=0.0) == 0.0
    assert limiter.check("a", now=0.0) > 0


def test_zero_rate_disables() -> None:
    limiter = RateLimiter(rate=0, burst=0)
    assert all(limiter.check("a", now=0.0) == 0.0 for _ in range(100))


# Who the client is (app/api/client_id.py): issue 13, point 5.

PROXY = ("10.0.0.0/8",)


def test_client_is_the_socket_peer_when_no_proxy_is_trusted() -> None:
    assert client_key("198.51.100.7", ["203.0.113.9"], ()) == "198.51.100.7"


def test_forwarded_for_from_an_untrusted_peer_is_ignored() -> None:
    assert client_key("198.51.100.7", ["203.0.113.9"], PROXY) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_client_is_the_address_it_appended() -> None:
    assert client_key("10.0.0.2", ["198.51.100.7"], PROXY) == "198.51.100.7"


def test_rotating_forwarded_for_does_not_make_a_new_client() -> None:
    # The client writes any X-Forwarded-For it likes; the proxy appends the address it saw.
    keys = {client_key("10.0.0.2", [f"203.0.113.{i}, 198.51.100.7"], PROXY) for i in range(50)}
    assert keys == {"198.51.100.7"}


def test_a_chain_of_trusted_proxies_is_skipped_right_to_left() -> None:
    headers = ["192.0.2.66, 198.51.100.7", "10.1.2.3"]  # two header lines, one list
    assert client_key("10.0.0.2", headers, PROXY) == "198.51.100.7"


def test_a_hop_no_proxy_would_write_stops_at_the_last_trusted_hop() -> None:
    assert client_key("10.0.0.2", ["198.51.100.7, garbage"], PROXY) == "10.0.0.2"


def test_ipv6_clients_count_by_their_64() -> None:
    one = client_key("2001:db8:1:2::1", [], ())
    assert one == client_key("2001:db8:1:2:ffff:ffff:ffff:fffe", [], ())
    assert one == str(ipaddress.ip_network("2001:db8:1:2::/64"))
    assert client_key("2001:db8:1:3::1", [], ()) != one


def test_ipv6_client_behind_an_ipv6_proxy() -> None:
    key = client_key("2001:db8:ffff::1", ["2001:db8:1:2::abcd"], ("2001:db8:ffff::/48",))
    assert key == "2001:db8:1:2::/64"


@pytest.mark.parametrize("proxy", ["::ffff:10.0.0.5", "::ffff:10.0.0.0/104"])
@pytest.mark.parametrize("peer", ["10.0.0.5", "::ffff:10.0.0.5"])
def test_a_proxy_listed_as_ipv4_mapped_is_trusted(proxy: str, peer: str) -> None:
    # A dual-stack socket names an IPv4 proxy ::ffff:10.0.0.5; listed so, it was never trusted
    # (the peer is compared as IPv4), and every client behind it counted as one.
    assert client_key(peer, ["198.51.100.7"], (proxy,)) == "198.51.100.7"


def test_ipv4_clients_count_by_their_address() -> None:
    assert client_key("192.0.2.1", [], ()) != client_key("192.0.2.2", [], ())
    assert client_key("::ffff:192.0.2.1", [], ()) == "192.0.2.1"


def test_a_peer_that_is_not_an_address_is_kept_as_named() -> None:
    assert client_key("testclient", ["198.51.100.7"], PROXY) == "testclient"
    assert client_key(None, [], ()) == "unknown"


# The per-client cap on requests in flight (app/api/in_flight.py): issue 13, point 5.


def test_one_client_gets_at_most_its_share_of_slots() -> None:
    async def scenario() -> None:
        limit = InFlightLimit(per_client=1)
        assert await limit.enter("a", wait_s=0)
        assert not await limit.enter("a", wait_s=0)  # its own request holds its slot
        assert await limit.enter("b", wait_s=0)  # another client is not held up
        limit.leave("a")
        assert await limit.enter("a", wait_s=0)
        assert (limit.in_flight("a"), limit.in_flight("b")) == (1, 1)

    run(scenario())


def test_a_waiting_request_gets_the_slot_its_client_frees() -> None:
    async def scenario() -> None:
        limit = InFlightLimit(per_client=1)
        assert await limit.enter("a", wait_s=0)
        waiting = asyncio.create_task(limit.enter("a", wait_s=60))
        await asyncio.sleep(0)
        assert not waiting.done()
        limit.leave("a")
        assert await waiting
        limit.leave("a")
        assert limit.in_flight("a") == 0

    run(scenario())


def test_a_cancelled_waiter_gives_nothing_back() -> None:
    async def scenario() -> None:
        limit = InFlightLimit(per_client=2)
        assert await limit.enter("a", wait_s=0) and await limit.enter("a", wait_s=0)
        waiting = asyncio.create_task(limit.enter("a", wait_s=60))
        await asyncio.sleep(0)
        waiting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiting
        assert limit.in_flight("a") == 2
        limit.leave("a")
        limit.leave("a")
        assert limit.in_flight("a") == 0 and await limit.enter("a", wait_s=0)

    run(scenario())
