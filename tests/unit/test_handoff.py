"""The hand-off between idle workers and waiting requests (app/workers/handoff.py)."""

from __future__ import annotations

import asyncio

import pytest

from app.workers.handoff import HandOff
from tests.event_loop import run


def test_an_idle_item_is_taken_without_suspending() -> None:
    queue: HandOff[str] = HandOff()
    queue.put("w1")
    taking = queue.take(timeout=10)
    with pytest.raises(StopIteration) as done:
        taking.send(None)  # finishes on the first step: no other task can run in between
    assert done.value.value == "w1"
    assert len(queue) == 0 and queue.waiting == 0


def test_a_waiter_handed_an_item_stops_counting_at_once() -> None:
    async def scenario() -> None:
        queue: HandOff[str] = HandOff()
        first = asyncio.create_task(queue.take(timeout=10))
        await asyncio.sleep(0)
        assert queue.waiting == 1
        queue.put("w1")
        # Before the first waiter has even run again, it is no longer waiting and the item
        # is not idle: a new arrival sees one free place in the line and nothing to take.
        assert queue.waiting == 0 and len(queue) == 0
        second = asyncio.create_task(queue.take(timeout=10))
        await asyncio.sleep(0)
        assert await first == "w1"
        assert queue.waiting == 1 and not second.done()
        queue.put("w1")
        assert await second == "w1"

    run(scenario())


def test_waiters_are_served_first_come_first_served() -> None:
    async def scenario() -> None:
        queue: HandOff[int] = HandOff()
        waiters = []
        for _ in range(3):
            waiters.append(asyncio.create_task(queue.take(timeout=10)))
            await asyncio.sleep(0)
        for item in (10, 20, 30):
            queue.put(item)
        assert [await w for w in waiters] == [10, 20, 30]

    run(scenario())


@pytest.mark.parametrize("give_up", ["timeout", "cancel"])
def test_a_waiter_that_gave_up_leaves_the_line(give_up: str) -> None:
    async def scenario() -> None:
        queue: HandOff[str] = HandOff()
        waiter = asyncio.create_task(queue.take(timeout=0.01 if give_up == "timeout" else 10))
        await asyncio.sleep(0)
        if give_up == "cancel":
            waiter.cancel()
        with pytest.raises(TimeoutError if give_up == "timeout" else asyncio.CancelledError):
            await waiter
        assert queue.waiting == 0
        queue.put("w1")
        assert len(queue) == 1  # kept idle, not handed to the waiter that gave up

    run(scenario())


def test_an_item_handed_to_a_task_cancelled_in_the_same_instant_is_not_lost() -> None:
    async def scenario() -> None:
        queue: HandOff[str] = HandOff()
        first = asyncio.create_task(queue.take(timeout=10))
        await asyncio.sleep(0)
        second = asyncio.create_task(queue.take(timeout=10))
        await asyncio.sleep(0)
        queue.put("w1")  # promised to the first waiter ...
        first.cancel()  # ... which is cancelled before it runs (a client that went away)
        with pytest.raises(asyncio.CancelledError):
            await first
        assert await second == "w1"
        assert queue.waiting == 0 and len(queue) == 0

    run(scenario())


def test_an_item_handed_at_the_timeout_goes_back_to_idle() -> None:
    async def scenario() -> None:
        queue: HandOff[str] = HandOff()
        waiter = asyncio.create_task(queue.take(timeout=0.05))
        await asyncio.sleep(0)
        loop = asyncio.get_running_loop()
        # Put the item in the same loop step in which the timeout fires.
        loop.call_at(loop.time() + 0.05, queue.put, "w1")
        try:
            assert await waiter == "w1"
        except TimeoutError:
            assert len(queue) == 1  # timed out: the item stayed for the next request
        assert queue.waiting == 0

    run(scenario())


def test_remove_takes_out_an_idle_item_only() -> None:
    queue: HandOff[str] = HandOff()
    queue.put("w1")
    assert queue.remove("w1") is True
    assert queue.remove("w1") is False
    assert len(queue) == 0
