"""A per-client cap on requests in flight: one client never holds every worker.

The rate limit counts requests per second; a client sending slow programs stays under it
and still keeps every worker busy. Here a client may have at most ``per_client`` requests
running at once; a further one waits (up to ``queue_wait_s``) for one of the client's own to
finish, so a page that sends a few requests together is served in turn, not refused.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


@dataclass
class _Share:
    """One client's slots, and how many of its requests hold or wait for one."""

    slots: asyncio.Semaphore
    users: int = field(default=0)
    holding: int = field(default=0)


class InFlightLimit:
    """At most ``per_client`` requests per client between ``enter`` and ``leave``."""

    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self._shares: dict[str, _Share] = {}

    async def enter(self, client: str, wait_s: float) -> bool:
        """Take one of ``client``'s slots, waiting at most ``wait_s``; False if none came free."""
        share = self._shares.get(client)
        if share is None:
            share = self._shares[client] = _Share(asyncio.Semaphore(self.per_client))
        share.users += 1
        try:
            async with asyncio.timeout(wait_s):
                await share.slots.acquire()
        except TimeoutError:
            self._drop(client, share)
            return False
        except BaseException:  # cancelled while waiting: the request went away
            self._drop(client, share)
            raise
        share.holding += 1
        return True

    def leave(self, client: str) -> None:
        """Give back a slot ``enter`` gave ``client``."""
        share = self._shares[client]
        share.holding -= 1
        share.slots.release()
        self._drop(client, share)

    def in_flight(self, client: str) -> int:
        """How many of ``client``'s requests hold a slot now."""
        share = self._shares.get(client)
        return 0 if share is None else share.holding

    def _drop(self, client: str, share: _Share) -> None:
        share.users -= 1
        if share.users == 0:  # nobody holds or waits: forget the client (memory stays bounded)
            del self._shares[client]
