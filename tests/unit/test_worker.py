"""A worker's loop (app/workers/worker.py), run in this process on a stream of request lines:
what it does between programs."""

from __future__ import annotations

import gc
import io
from typing import Any

from app.limits import Limits
from app.workers import protocol
from app.workers.worker import FULL_COLLECTION_EVERY, serve

# Each program leaves a list that holds itself: garbage only the cyclic collector frees.
CYCLE = "a = [{run}]\na.append(a)\nprint(len(a))\n"


def test_after_each_program_the_young_objects_are_collected_and_everything_every_64() -> None:
    programs = FULL_COLLECTION_EVERY + 2
    tail = protocol.request_tail(Limits())
    requests = b"".join(
        protocol.request_line(CYCLE.format(run=run), tail) for run in range(programs)
    )
    generations: list[int] = []
    collected: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        (generations if phase == "start" else collected).append(
            info["generation"] if phase == "start" else info["collected"]
        )

    replies = io.BytesIO()
    gc.disable()  # as serve does at once: no collection but its own
    gc.callbacks.append(note)
    try:
        serve(io.BytesIO(requests), replies, None)
    finally:
        gc.callbacks.remove(note)
        gc.enable()
    answers = replies.getvalue().splitlines()[1:]  # after the ready line: head, graph per program
    heads = [protocol.read_reply(answers[i], answers[i + 1]) for i in range(0, len(answers), 2)]
    assert [(head.ok, head.stdout) for head in heads] == [(True, "2\n")] * programs
    # Generation 1 (the two young ones) after each program, 2 (everything) after the 64th.
    full = FULL_COLLECTION_EVERY - 1
    assert generations == [1] * full + [2] + [1] * (programs - full - 1)
    # Each collection freed its program's list, as a full one would have.
    assert all(count >= 1 for count in collected)
