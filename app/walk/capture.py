"""What happens while a program runs: which line made each autograd node, and each backward pass.

``GraphRecorder`` watches every torch call (it is the ``CallObserver`` of the sandbox's torch
mode). After an ordinary call it tags the autograd nodes the call created with the program line
that made it. Around ``backward()`` / ``torch.autograd.grad`` it first snapshots the graph (backward
frees saved tensors), then hooks each autograd node for the duration of the pass to record the
order in which nodes ran and the gradient on every edge. The hooks return ``None``, so gradients,
``.grad`` fields, ``is_leaf`` and version counters stay exactly as plain PyTorch leaves them.
A call that raises (a saved tensor changed in place, a second pass through a freed graph) is
recorded all the same: the steps that ran, the node PyTorch was running when it stopped, and the
error, which then goes on to the program unchanged.
"""

from __future__ import annotations

import functools
import sys
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

import torch
from torch.autograd.graph import Node

from app.graph_model import PassKind
from app.limits import DEFAULT_LIMITS, Limits
from app.record import exception_text
from app.tensor_tree import tensors_in
from app.walk.curve import Curve
from app.walk.hook_watch import HookWatch, Snapshot
from app.walk.module_scopes import ModuleScopes, Scope
from app.walk.pass_copies import PassCopies
from app.walk.pass_slots import grads_batched, shown_slots
from app.walk.pass_window import PassWindow, WindowChoice
from app.walk.preview import Previewer
from app.walk.registry import GraphRegistry
from app.walk.tensor_states import Moment, grad_fn

_BACKWARD_FUNCS: dict[Any, PassKind] = {
    torch.Tensor.backward: "backward",
    torch.autograd.backward: "backward",
    torch.autograd.grad: "autograd.grad",
}


# A gradient as a pass saw it: a copy of the tensor, formatted only if its pass is one the
# graph keeps (the latest ones), or, for a large one, formatted at once (copies are bounded).
_COPY_LIMIT = 20_000
# The program's hooks on tensors, and the nodes a module's backward hooks run in.
_HOOK_REGISTRATIONS = frozenset({"register_hook", "register_post_accumulate_grad_hook"})
_HOOK_NODES = frozenset({"BackwardHookFunctionBackward"})
# Calls that may change a tensor's flags without returning it (besides in-place ops).
_CHANGES_FLAGS = frozenset({"__set__", "__setitem__"})
# Reading or writing an attribute makes no node of its own.
_ATTRIBUTE_CALLS = frozenset({"__get__", "__set__"})


@dataclass(slots=True)
class RecordedStep:
    """A node that ran in backward: the gradients it sent along each input slot."""

    node: Node
    slot_grads: list[tuple[int, Snapshot]]
    output_grads: list[tuple[int, Snapshot]]
    leaf_grad: Snapshot | None = None


@dataclass
class PassError:
    """Why a backward call stopped: the exception, the program line, and the node that raised
    (None if PyTorch raised before a node began, or in a hook of the program's own)."""

    type: str
    message: str
    line: int | None
    node: Node | None


@dataclass
class RecordedPass:
    """One backward call as it ran (up to its error, if it raised)."""

    kind: PassKind
    line: int | None
    roots: list[torch.Tensor]
    steps: list[RecordedStep] = field(default_factory=list)
    error: PassError | None = None
    # The node that has begun and not yet finished: where the pass stopped, should it raise.
    running: Node | None = None
    # id(tensor) -> the gradient that reached a tensor with hooks, before the program's hooks ran.
    hook_before: dict[int, Snapshot] = field(default_factory=dict)
    serial: int = 0  # the how-many-th backward call of the program (kept or not)


class GraphRecorder:
    """Observes a program's torch calls; holds everything extraction needs afterwards."""

    def __init__(
        self,
        filename: str,
        max_elements: int,
        max_passes: int,
        max_records: int,
        limits: Limits = DEFAULT_LIMITS,
        *,
        window: PassWindow | None = None,
        count_light_loops_within_s: float | None = None,
    ) -> None:
        self.filename = filename
        # The calls only counted, not recorded (``app/walk/pass_window.py``). Given
        # ``count_light_loops_within_s`` (a first run), a light loop stops being recorded once
        # its calls are predicted or past max_passes, and starts again once the run has taken
        # that long (no time to rerun it).
        self.window = window or PassWindow()
        self.choice = WindowChoice(max_passes, count_light_loops_within_s)
        self.max_elements = max_elements
        self.max_passes = max_passes
        self.limits = limits
        self.registry = GraphRegistry(
            max_records, limits.max_saved_per_node, limits.max_names_per_node
        )
        self.preview = Previewer(max_elements, limits.max_value_dims)
        self.node_lines: dict[int, int | None] = {}
        self.node_versions: dict[int, int] = {}  # a node made in place: its tensor's version
        self.node_calls: dict[int, int] = {}  # a node -> backward calls run when it was made
        self.curve = Curve()
        self.modules = ModuleScopes(filename, limits.max_label_chars)
        self.node_modules: dict[int, Scope] = {}  # a node made inside a module's call
        self.passes: list[RecordedPass] = []
        # id of a detached tensor -> its source; ids of results made under no_grad from
        # tensors that require grad. Both forget a tensor when the program drops it.
        self.detached_from: dict[int, torch.Tensor] = {}
        self.no_grad_results: set[int] = set()
        self._watched: dict[int, weakref.ref[torch.Tensor]] = {}
        self._keep: list[Any] = []  # objects whose id() we use, kept alive so ids stay unique
        self._serial = 0  # backward calls so far
        self.hooks = HookWatch(self._snapshot)
        self.program_hooks = False  # whether the program registered a hook on a tensor
        self._changed: dict[int, torch.Tensor] = {}  # shown tensors changed since the last pass

    # --- the CallObserver protocol ----------------------------------------------------------------
    def around(
        self, func: Callable[..., Any], name: str, args: Sequence[Any], kwargs: dict[str, Any]
    ) -> Any:
        """Run one torch call of the program and record what it did to the graph."""
        kind = _BACKWARD_FUNCS.get(func)
        if kind is not None:
            call = functools.partial(func, *args, **kwargs)
            first = args[0] if args else kwargs.get("tensors", kwargs.get("outputs"))
            roots = tensors_in(first)
            self.window = self.choice.before_call(self.window, self._serial)
            if self.window.dark(self._serial):
                return self._count_backward(call, roots)
            result = self._run_backward(kind, call, roots, args, kwargs)
            self.window = self.choice.after_call(self.window, self._serial)
            return result
        if name in _HOOK_REGISTRATIONS and args and isinstance(args[0], torch.Tensor):
            self.program_hooks = True
            if name == "register_hook":
                self.hooks.observe(args[0])
        result = func(*args, **kwargs)
        window = self.window  # (``window.dark``, inline: this runs for every torch call)
        if not window.start <= self._serial < window.end and name not in _ATTRIBUTE_CALLS:
            self._after_call(name, result, args, kwargs)
        if args and (result is args[0] or name in _CHANGES_FLAGS or name.endswith("_")):
            self._note_change(args[0])
        return result

    @property
    def calls(self) -> int:
        """The backward calls the program has made so far (recorded or not)."""
        return self._serial

    def _count_backward(self, call: Callable[[], Any], roots: list[torch.Tensor]) -> Any:
        """A dark backward call: it runs as plain PyTorch; its root's value goes on the curve."""
        self.curve.add(self._serial, self.current_place()[0], roots)
        self._serial += 1
        return call()

    def _note_change(self, tensor: Any) -> None:
        """A tensor the graph already shows may have changed its flags (an in-place op,
        ``requires_grad_``, ``x.requires_grad = ...``, ``detach_``): the next pass reads its
        state again, so that its states say which pass first saw the change."""
        if isinstance(tensor, torch.Tensor) and self.registry.shows(tensor):
            self._changed[id(tensor)] = tensor

    def bind(self, name: str, value: Any) -> Any:
        """Record that the program bound ``value`` to variable ``name``."""
        if isinstance(value, torch.Tensor):
            # The program's statement called the runtime's bind, which called this.
            line, scope = self._place_from(sys._getframe(2))
            # Read past the program's torch mode, which is on here (the program's own statement
            # calls this): through it each flag read costs as much as a torch call.
            if self.window.dark(self._serial):
                self.registry.names.count(name, line, scope)
                return value
            with torch._C.DisableTorchFunction():
                self.registry.names.bind(value, name, line, scope, call=self._serial)
        return value

    def release(self) -> None:
        """Drop every reference, newest autograd node first.

        While Python holds ``grad_fn`` wrappers, freeing a long chain from its newest end
        cascades node by node through C++ destructors and overflows the stack (a 100,000-op
        chain segfaults). Popping our own list from the end while it still holds the older
        nodes keeps every deletion one node deep.
        """
        self.registry = GraphRegistry(0)
        self.preview.release()
        self.passes.clear()
        self._changed.clear()
        self.detached_from.clear()
        while self._keep:
            self._keep.pop()

    # --- ordinary calls -----------------------------------------------------------------------------
    def _after_call(
        self, name: str, result: Any, args: Sequence[Any], kwargs: dict[str, Any]
    ) -> None:
        line = self._place_from(sys._getframe(1))[0]  # (``current_place``, one call less)
        changed: Iterable[torch.Tensor] = tensors_in(result)
        in_place = bool(args) and result is args[0]  # ``y.add_(1)`` returns y
        if result is None and args and isinstance(args[0], torch.Tensor):
            changed = args[:1]  # ``y[0] = v``: ``__setitem__`` changes y in place, returns None
            in_place = True
        for tensor in changed:
            node = grad_fn(tensor)
            if node is not None:
                if in_place and id(node) not in self.node_lines:
                    self.node_versions[id(node)] = tensor._version
                self._tag_new_nodes(node, line)
            elif name in ("detach", "detach_"):
                source = next((a for a in args if isinstance(a, torch.Tensor)), None)
                if source is not None and source.requires_grad:
                    self._watch(tensor)
                    self.detached_from[id(tensor)] = source
            elif not torch.is_grad_enabled() and _any_requires_grad(args, kwargs):
                self._watch(tensor)
                self.no_grad_results.add(id(tensor))

    def _watch(self, tensor: torch.Tensor) -> None:
        """Forget what is noted of ``tensor`` when the program drops it (so that another
        tensor at the same address is not taken for it)."""
        key = id(tensor)
        if key not in self._watched:
            self._watched[key] = weakref.ref(tensor, functools.partial(self._forget, key))

    def _forget(self, key: int, _: object = None) -> None:
        self._watched.pop(key, None)
        self.detached_from.pop(key, None)
        self.no_grad_results.discard(key)

    def _tag_new_nodes(self, root: Node, line: int | None) -> None:
        lines = self.node_lines
        stack, scope, looked = [root], None, False
        while stack:
            node = stack.pop()
            key = id(node)
            if key in lines:
                continue
            if not looked:  # the module call running now, looked up once a node is new
                scope, looked = self.modules.current(), True
            if scope is not None:
                self.node_modules[key] = scope
            self._keep.append(node)
            lines[key] = line
            self.node_calls[key] = self._serial
            stack.extend([nxt for nxt, _ in node.next_functions if nxt is not None])

    def current_place(self) -> tuple[int | None, str | None]:
        """The line of the program statement running now (innermost program frame), and the
        function it runs in (its qualified name; None at module level)."""
        return self._place_from(sys._getframe(1))

    def _place_from(self, frame: FrameType | None) -> tuple[int | None, str | None]:
        """``current_place`` from ``frame`` outwards."""
        while frame is not None:
            code = frame.f_code
            if code.co_filename == self.filename:
                if code.co_name == "<module>":
                    return frame.f_lineno, None
                return frame.f_lineno, code.co_qualname.replace(".<locals>", "")
            frame = frame.f_back
        return None, None

    # --- backward -------------------------------------------------------------------------------
    def _run_backward(
        self,
        kind: PassKind,
        call: Callable[[], Any],
        roots: list[torch.Tensor],
        args: Sequence[Any],
        kwargs: dict[str, Any],
    ) -> Any:
        line = self.current_place()[0]
        for root in roots:
            self._keep.append(root)
            node = grad_fn(root)
            if node is not None:
                self._tag_new_nodes(node, line)
        # Walk from the roots first, as backward itself does: ids then follow the chain rule
        # from the output back to the leaves. Named tensors off that path come after.
        self.registry.next_generation()
        self.registry.moment = Moment("backward", serial=self._serial)
        self.curve.add(self._serial, line, roots)
        self._serial += 1
        # A value may have changed through ``.data`` since the last pass, which no version
        # counter tells: what was formatted before is formatted again.
        self.preview.clear()
        self.registry.discover(roots, roots=True)
        self.registry.discover_named()
        changed, self._changed = list(self._changed.values()), {}
        self.registry.discover(changed)
        recorded = RecordedPass(kind=kind, line=line, roots=roots, serial=self._serial - 1)
        # With ``is_grads_batched`` the engine runs under vmap: the gradients a hook would see
        # are batched tensors, which cannot be copied or printed. The pass runs unwatched (its
        # result is PyTorch's own); the graph shows its nodes, not its steps.
        watched = [] if grads_batched(args, kwargs) else [grad_fn(root) for root in roots]
        reachable = self._reachable(watched)
        copies = PassCopies(self._snapshot, share=not self._hooks_may_run(reachable))
        handles = [handle for node in reachable for handle in self._hook(node, recorded, copies)]
        recorded.hook_before = self.hooks.begin()
        try:
            result = call()
        except BaseException as exc:
            # Every call that raises is kept, even one that ran nothing: it says where and why.
            recorded.error = PassError(
                type=type(exc).__name__,
                message=exception_text(exc),
                line=line if (raised := self._raising_line(exc)) is None else raised,
                node=recorded.running,
            )
            raise
        finally:
            self.hooks.end()
            for handle in handles:
                handle.remove()
            if recorded.steps or recorded.error is not None:
                self.passes.append(recorded)
                if len(self.passes) > self.max_passes:  # the first and the latest are kept
                    del self.passes[1]
        if kind == "autograd.grad":
            self._after_call("grad", result, args, kwargs)
        else:
            self._tag_gradient_graphs(reachable, line)
        return result

    def _hooks_may_run(self, reached: Iterable[Node]) -> bool:
        """Whether code of the program may run inside the pass (a tensor hook, a module's
        backward hook): it could change a gradient through ``.data``, which no version tells."""
        return self.program_hooks or any(type(node).__name__ in _HOOK_NODES for node in reached)

    def _tag_gradient_graphs(self, reached: Iterable[Node], line: int | None) -> None:
        """With ``create_graph=True`` a pass builds a graph of its own for each ``.grad`` it
        fills: its nodes were made on the backward call's line (as anomaly mode says), not on
        the line of the statement that later uses the gradient."""
        for node in reached:
            variable = getattr(node, "variable", None)
            gradient = variable.grad if isinstance(variable, torch.Tensor) else None
            made = grad_fn(gradient) if gradient is not None else None
            if made is not None:
                self._tag_new_nodes(made, line)

    def _raising_line(self, exc: BaseException) -> int | None:
        """The innermost program line in ``exc``'s traceback (a program's own backward or hook
        that raised), or None if the error came from PyTorch alone."""
        found = None
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == self.filename:
                found = tb.tb_lineno
            tb = tb.tb_next
        return found

    def _reachable(self, roots: Iterable[Node | None]) -> list[Node]:
        """The pass's nodes that the graph will show: those the (bounded) registry found.

        Past the node limit nothing is shown, so nothing is hooked: a 50,000-op chain pays
        for the 21,000 nodes it returns, not for all of them.
        """
        known = self.registry.functions
        seen: dict[int, Node] = {}
        stack = [r for r in roots if r is not None]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            if id(node) not in known:
                if isinstance(getattr(node, "variable", None), torch.Tensor):
                    seen[id(node)] = node  # AccumulateGrad of a leaf: shown as the leaf
                continue
            seen[id(node)] = node
            stack.extend([nxt for nxt, _ in node.next_functions if nxt is not None])
        return list(seen.values())

    def _snapshot(self, tensor: torch.Tensor) -> Snapshot:
        """A gradient as a pass saw it: a copy if small, else its printed form at once (only
        printing needs no_grad: a copy makes no node, even in a ``create_graph`` pass)."""
        if tensor.numel() <= _COPY_LIMIT:
            return tensor.detach().clone()
        with torch.no_grad():
            return self.preview(tensor)

    def _hook(self, node: Node, recorded: RecordedPass, snapshot: PassCopies) -> list[Any]:
        """Two hooks: before the node runs, it is noted as running (should it raise, the pass
        stopped there); after, it is given what the node received and what it sent.

        (The engine hands a post hook the node's inputs as they were; AccumulateGrad may take
        the received tensor as the leaf's ``.grad``, which leaves its values unchanged.)
        """
        slots = shown_slots(node, self.limits.max_parallel_edges, self.limits.max_graph_edges)
        steps = recorded.steps
        variable = getattr(node, "variable", None)  # AccumulateGrad's leaf (it never changes)
        leaf = variable if isinstance(variable, torch.Tensor) else None
        tensor = torch.Tensor

        def post(
            grad_inputs: tuple[torch.Tensor | None, ...],
            grad_outputs: tuple[torch.Tensor | None, ...],
        ) -> None:
            steps.append(
                RecordedStep(
                    node,
                    [(i, snapshot(g)) for i in slots if isinstance(g := grad_inputs[i], tensor)],
                    [(i, snapshot(g)) for i, g in enumerate(grad_outputs) if isinstance(g, tensor)],
                    None if leaf is None or (grad := leaf.grad) is None else snapshot(grad),
                )
            )
            recorded.running = None

        # The values the node saved are copied just before it runs, in the same pre hook (one
        # hook less per node: hooks are most of what a long loop's backward costs here).
        copy_saved = self.registry.saved_copier(node, self.preview)

        def pre(grad_outputs: tuple[torch.Tensor | None, ...]) -> None:
            recorded.running = node
            if copy_saved is not None:
                copy_saved()

        return [node.register_prehook(pre), node.register_hook(post)]


def _any_requires_grad(args: Sequence[Any], kwargs: dict[str, Any]) -> bool:
    return any(t.requires_grad for t in tensors_in([*args, *kwargs.values()]))
