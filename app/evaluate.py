"""Run one program in the restricted runtime and return a complete record of what happened.

This is what a worker does for each request: policy check, guarded run under the size limits
with the graph recorder watching, extraction, and an error (with line and hint) if the program
raised. It never raises for anything the program does; the caller never has to guess.
"""

from __future__ import annotations

import functools
import gc
import secrets
import time
import warnings
from collections.abc import Callable

from app.collector import collector_paused
from app.graph_model import Graph
from app.hints import Hint, hint_for, sandbox
from app.hints.names import carried_hint, name_hint
from app.hints.warning_notes import WarningNotes
from app.language.allowlist import ALLOWLIST
from app.language.compile import CompiledProgram, compile_program
from app.language.error_place import error_place
from app.language.errors import (
    LimitExceeded,
    RefusedProgram,
    SandboxViolation,
    raised,
    recording,
)
from app.language.parse import PROGRAM_FILENAME
from app.language.runtime import Runtime
from app.language.scope_names import names_in_scope
from app.language.torch_mode import ProgramMode
from app.limits import DEFAULT_LIMITS, Limits
from app.record import EvalRecord, ProgramError, exception_text
from app.walk.capture import GraphRecorder
from app.walk.encode import fitted
from app.walk.extract import OnDrawn, extract
from app.walk.pass_window import PassWindow

# While a program runs, the recorder keeps up to this many times the graph's node limit of
# records, letting the oldest iterations go first; the graph shows the newest of them.
_RECORDS_PER_NODE = 4
_SANDBOX_ERRORS = frozenset({"SandboxViolation", "LimitExceeded"})
# A first run that stopped recording a light loop (``app/walk/pass_window.py``) is followed by
# a second one only if it took at most this share of the time limit: both runs fit in it.
RERUN_SHARE = 0.4
RERUN_WITHIN_S = RERUN_SHARE * 5.0  # under the default 5 s limit (workers pass their own)
# Elements the first run's tensors still hold once it is freed (in reference cycles) past
# which they are collected before the second run: not held twice. Fewer wait for the worker's
# collection after the answer (a full collection between the runs costs 0.1 s).
_COLLECT_PAST = 1_000_000


# The same text is often run again with a different result (a program that draws random
# numbers without a seed is never answered from the response cache): its checked code object
# is reused. Code objects are immutable and every run gets a fresh namespace. The zygote's
# warm-up fills this with the gallery, so every worker starts with those compiled.
_compiled = functools.lru_cache(maxsize=64)(compile_program)


def evaluate(
    source: str,
    limits: Limits = DEFAULT_LIMITS,
    *,
    cleanups: list[Callable[[], None]] | None = None,
    seed: int | None = None,
    rerun_within_s: float = RERUN_WITHIN_S,
    on_drawn: OnDrawn | None = None,
) -> EvalRecord:
    """Check, run and graph ``source``; return the record (never raises for program faults).

    Freeing what the program made (its tensors and autograd nodes: 80 ms for a 5,000-node
    graph) happens before this returns, or, given a ``cleanups`` list, in a function appended
    to it: a worker calls that after it has answered, off the request's path. ``on_drawn``
    is told the graph's nodes and edges before its values are made (``extract``).
    """
    started = time.perf_counter()
    try:
        program = _compiled(source, limits)
    except RefusedProgram as refusal:
        return EvalRecord(
            ok=False,
            refused=ProgramError(
                refusal.kind, refusal.message, refusal.line, refusal.col, refusal.hint.to_dict()
            ),
            elapsed_ms=_ms_since(started),
        )
    # Both runs of a light loop draw the same numbers: a fresh seed, unless a test gives one.
    seed = secrets.randbits(32) if seed is None else seed
    # A graph is hundreds of thousands of small objects; Python's cyclic collector would walk
    # them again and again (40% of the time for a 5,000-node graph). Everything one program
    # allocates is bounded by the limits and dropped after it, so collect between programs.
    with collector_paused():
        run = _Run(program, limits, seed, PassWindow(), count_within_s=rerun_within_s)
        calls, window = run.recorder.calls, run.recorder.window
        in_time = _ms_since(started) <= rerun_within_s * 1000
        if window.reruns_for(calls, limits.max_backward_passes) and in_time:
            # A long loop of light passes: run again, recording its first and latest passes.
            ALLOWLIST.reset(run.runtime.used)
            run.free()
            if run.runtime.live.count > _COLLECT_PAST:  # tensors kept alive only by cycles
                gc.collect()
            window = PassWindow.keeping_ends(calls, limits.max_backward_passes)
            run = _Run(program, limits, seed, window)
        elif window.dark(calls):
            run.runtime.notes.append(sandbox.FIRST_PASSES)
        if program.skipped:
            run.runtime.notes.insert(0, sandbox.NOTEBOOK_LINES)
        return run.record(started, cleanups, on_drawn)


class _Run:
    """One run of a program under the sandbox, watched by a graph recorder."""

    def __init__(
        self,
        program: CompiledProgram,
        limits: Limits,
        seed: int,
        window: PassWindow,
        *,
        count_within_s: float | None = None,
    ) -> None:
        self.limits = limits
        self.recorder = GraphRecorder(
            PROGRAM_FILENAME,
            max_elements=limits.max_preview_elements,
            max_passes=limits.max_backward_passes,
            max_records=limits.max_graph_nodes * _RECORDS_PER_NODE,
            limits=limits,
            window=window,
            count_light_loops_within_s=count_within_s,
        )
        self.runtime = Runtime(
            limits, on_bind=self.recorder.bind, backward_calls=lambda: self.recorder.calls
        )
        self.recorder.choice.loops = self.runtime.loops
        self.namespace = self.runtime.namespace()
        self.error = _execute(program, limits, self.recorder, self.runtime, self.namespace, seed)

    def free(self) -> None:
        """Free what the program made: its names first, then the recorder's references."""
        self.namespace.clear()
        self.recorder.release()

    def record(
        self,
        started: float,
        cleanups: list[Callable[[], None]] | None,
        on_drawn: OnDrawn | None = None,
    ) -> EvalRecord:
        """Extract the graph and make the answer's record."""
        return _record(self, started, cleanups, on_drawn)


def _execute(
    program: CompiledProgram,
    limits: Limits,
    recorder: GraphRecorder,
    runtime: Runtime,
    namespace: dict[str, object],
    seed: int,
) -> ProgramError | None:
    """Run the program's statements; the error it ended with, if any."""
    error: ProgramError | None = None
    runtime.randomness.start_over(seed)
    try:
        # A warning is PyTorch talking to the programmer on stderr, which the answer does not
        # carry: it never changes what the program does, whatever filters the process has.
        # Those a hint explains become notes (app/hints/warning_notes.py).
        with (
            ProgramMode(limits, recorder, runtime.live),
            warnings.catch_warnings(),
            recording(),
        ):
            warnings.simplefilter("always")
            warnings.showwarning = WarningNotes(runtime.notes, PROGRAM_FILENAME)
            try:
                for code in program.codes:  # the statements in turn, as a module runs them
                    exec(code, namespace)  # noqa: S102 - compiled from the policy-checked AST
            finally:
                runtime.definitions.finish()
    except (Exception, SandboxViolation, LimitExceeded) as exc:  # noqa: BLE001 - program faults
        error = _program_error(exc, program.source)
    sticky = raised()
    if sticky is not None and (error is None or error.type not in _SANDBOX_ERRORS):
        # met, then dropped by the program: still its answer
        error = _program_error(sticky, program.source)
    return error


def _record(
    run: _Run,
    started: float,
    cleanups: list[Callable[[], None]] | None,
    on_drawn: OnDrawn | None = None,
) -> EvalRecord:
    recorder, runtime, namespace, limits = run.recorder, run.runtime, run.namespace, run.limits
    error = run.error
    deterministic = runtime.randomness.deterministic
    graph: Graph | None
    encoded: bytes | None = None
    try:
        # Under the program's own settings (its default dtype prints as plain PyTorch's does).
        graph = extract(recorder, namespace, limits, on_drawn)
        # Encoded here, where it can still be cut to the size limit; the worker sends these bytes.
        encoded = fitted(graph, limits.max_graph_bytes)
    except (Exception, SandboxViolation, LimitExceeded) as exc:  # noqa: BLE001 - see below
        # What the program built can defeat the walk (a module nested 20,000 deep makes
        # torch's own named_parameters recurse too far); report it, keep the worker alive.
        graph = None
        error = error or ProgramError(
            type="GraphTooComplex",
            message=f"the program ran, but its graph could not be drawn: {exception_text(exc)}",
            line=None,
        )
    finally:
        ALLOWLIST.reset(runtime.used)

    if cleanups is None:
        run.free()
    else:
        cleanups.append(run.free)
    return EvalRecord(
        ok=error is None,
        error=error,
        graph_model=graph,
        graph_json=encoded,
        stdout=runtime.output.text,
        notes=[note.to_dict() for note in runtime.notes],
        stdout_truncated=runtime.output.truncated,
        truncated=graph is not None and graph.truncated,
        deterministic=deterministic,
        elapsed_ms=_ms_since(started),
    )


def _program_error(exc: BaseException, source: str) -> ProgramError:
    text = exception_text(exc)
    line, col = error_place(exc.__traceback__, PROGRAM_FILENAME, source)
    hint = hint_for(exc, text) or _sandbox_hint(exc) or _name_hint(exc) or carried_hint(exc)
    kind = type(exc).__name__
    if isinstance(exc, LimitExceeded):
        kind = "LimitExceeded"
    return ProgramError(
        type=kind,
        message=text or kind,
        line=line,
        col=col,
        hint=hint.to_dict() if hint else None,
    )


def _sandbox_hint(exc: BaseException) -> Hint | None:
    if isinstance(exc, LimitExceeded):
        return Hint(
            f"limit_{exc.limit}",
            "This program went past one of the playground's limits (they keep the service fast for"
            " everyone). Use smaller tensors or fewer loop iterations.",
            "这个程序超出了在线环境的限制（这些限制让所有人都能快速使用）。请使用更小的张量或更少的循环次数。",
        )
    if isinstance(exc, SandboxViolation):
        return exc.hint
    return None


def _name_hint(exc: BaseException) -> Hint | None:
    """For the program's own ``NameError``: the names it could have meant, where it raised."""
    name = getattr(exc, "name", None)
    if type(exc) is not NameError or type(name) is not str:  # a subclass would run its code
        return None
    return name_hint(name, names_in_scope(exc.__traceback__))


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
