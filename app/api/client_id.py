"""Who a request counts as, for the rate limit and the per-client cap on requests in flight.

The client is the socket peer, unless the peer is a trusted proxy (``trusted_proxies``): then
it is the right-most ``X-Forwarded-For`` address that is not itself a trusted proxy (each
proxy appends the address it was contacted from, so what lies left of the last trusted hop is
whatever the client chose to send). IPv6 clients count by their /64, the block one
subscriber gets, so rotating addresses within it is one client; IPv4 clients by the address.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

IPV6_GROUP_PREFIX = 64


@functools.lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """The configured proxies as networks (the settings checked they parse); one written as
    IPv4-mapped IPv6 (``::ffff:10.0.0.5``, how a dual-stack socket names an IPv4 peer) as the
    IPv4 network it stands for, since a peer is compared as IPv4."""
    return tuple(_unmapped(ipaddress.ip_network(proxy, strict=False)) for proxy in proxies)


_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")


def _unmapped(network: Network) -> Network:
    if isinstance(network, ipaddress.IPv6Network) and network.subnet_of(_MAPPED):
        address = network.network_address.ipv4_mapped
        assert address is not None  # within ::ffff:0:0/96
        return ipaddress.IPv4Network((address, network.prefixlen - 96))
    return network


def client_key(peer: str | None, forwarded_for: Sequence[str], proxies: tuple[str, ...]) -> str:
    """The key a request is counted under: a client address, or an IPv6 /64, as text."""
    trusted = trusted_networks(proxies)
    address = _address(peer)
    if address is None:
        return peer or "unknown"  # not IP (a test client, a Unix socket): the name as given
    if trusted and _is_trusted(address, trusted):
        hops = [hop.strip() for value in forwarded_for for hop in value.split(",")]
        for hop in reversed(hops):
            hop_address = _address(hop)
            if hop_address is None:
                break  # a trusted proxy would not write this: stop at the last trusted hop
            address = hop_address
            if not _is_trusted(address, trusted):
                break
    return group(address)


def group(address: Address) -> str:
    """The address itself (IPv4), or its /64 (IPv6; an IPv4-mapped address as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_GROUP_PREFIX), strict=False))
    return str(address)


def _address(text: str | None) -> Address | None:
    if not text:
        return None
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text.split("%")[0])  # no zone id
    except ValueError:
        return None


def _is_trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address.version == net.version and address in net for net in trusted)
