"""Turn what the recorder found into the plain ``Graph`` the API returns.

Ids are ``n0, n1, ...`` in the order the walk visited nodes, and ``e0, e1, ...`` for edges, so
the same program always yields the same ids (never ``id()`` of a Python object).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import nn
from torch.autograd.graph import Node

from app.graph_model import (
    BackwardError,
    BackwardPass,
    BackwardStep,
    Edge,
    EdgeGrad,
    FunctionNode,
    Graph,
    HookChange,
    NameBinding,
    Omitted,
    TensorNode,
    TensorRole,
    TensorValue,
)
from app.limits import Limits
from app.walk.capture import GraphRecorder, PassError, RecordedPass, RecordedStep
from app.walk.chain_terms import ChainTerms
from app.walk.graph_edges import GraphEdges
from app.walk.hook_watch import Snapshot, same_snapshot
from app.walk.module_table import module_table
from app.walk.preview import dtype_name
from app.walk.program_tensors import named_tensors
from app.walk.records import FunctionRecord, TensorKey, TensorRecord
from app.walk.saved_values import saved_value
from app.walk.tensor_index import TensorIndex
from app.walk.tensor_names import binding_texts
from app.walk.tensor_states import (
    Moment,
    TensorState,
    grad_fn,
    is_leaf,
    state_of,
    states_shown,
)


def extract(
    recorder: GraphRecorder,
    namespace: dict[str, Any],
    limits: Limits,
    on_drawn: OnDrawn | None = None,
) -> Graph:
    """Walk from every tensor the program holds and every backward root, and build the Graph
    (cut to ``limits``: what was left out is counted in its ``omitted``); ``on_drawn`` is told
    its nodes and edges as soon as they are known, before their values and passes are made."""
    registry = recorder.registry
    max_nodes = limits.max_graph_nodes
    final = named_tensors(namespace)
    registry.make_room(max_nodes)
    registry.next_generation(release=False)
    registry.moment = Moment("end")
    for name, tensor in final:
        registry.names.bind(tensor, name, final=True)
    for recorded in recorder.passes:
        registry.discover(recorded.roots, roots=True)
    registry.discover_named()
    registry.discover([tensor for _, tensor in final], always=True)
    # Should the graph be cut, the program's final state is kept first, then its latest
    # backward passes: each is marked newer than what came before it.
    registry.promote(*[recorded.roots for recorded in recorder.passes], [t for _, t in final])
    return _Builder(recorder, limits).build(final, on_drawn)


# Told a graph's nodes and edges once they are known, before their values are (a large
# graph's drawing can start meanwhile: ``app/workers/worker.py``).
OnDrawn = Callable[[list[TensorNode | FunctionNode], list[Edge]], None]
# A tensor node's value until ``_Builder._values`` sets it.
_PENDING = TensorValue(text="", data=None, shape=[], dtype="")


def _op_name(node: object) -> str | None:
    return type(node).__name__ if node is not None else None


class _Builder:
    def __init__(self, recorder: GraphRecorder, limits: Limits) -> None:
        self.recorder = recorder
        self.registry = recorder.registry
        self.preview = recorder.preview
        self.limits = limits
        kept = self.registry.newest(limits.max_graph_nodes)
        # The values as they are now (``.data`` writes bump no version), within the answer's
        # budget of preview text (and of numbers, for a large graph).
        self.preview.clear(budget=True, nodes=len(kept))
        # Found but not shown: past the limit now, or let go earlier for newer iterations.
        self.omitted = Omitted(nodes=len(self.registry.order) - len(kept) + self.registry.evicted)
        self.omitted.modules = len(recorder.modules.omitted)
        self.truncated = self.registry.overflowed
        self.ids: dict[int | TensorKey, str] = {key: f"n{i}" for i, key in enumerate(kept)}
        self.links = GraphEdges(self.ids, limits, self.omitted)
        self.edges = self.links.edges
        self.slot_edges = self.links.slot_edges
        self.output_edges = self.links.output_edges
        self.pass_index = {p.serial: i for i, p in enumerate(recorder.passes)}
        self.current: dict[str, TensorKey] = {}  # the program's variables at the end

    def build(
        self, final: list[tuple[str, torch.Tensor]], on_drawn: OnDrawn | None = None
    ) -> Graph:
        nodes: list[TensorNode | FunctionNode] = []
        # The program's variables and their .grad first: in a large graph they stay whole when
        # the budget of numbers runs out for the rest (their previews are remembered for their
        # nodes).
        for _, tensor in final:
            if self.registry.tensor_key(tensor) in self.ids:
                self.preview(tensor)
                grad = tensor.grad if is_leaf(tensor) or tensor.retains_grad else None
                if grad is not None:
                    self.preview(grad)
        storage_index = self._storage_index()
        self.current = {name: self.registry.tensor_key(tensor) for name, tensor in final}
        for key, node_id in self.ids.items():
            if isinstance(key, int):
                nodes.append(self._function_node(node_id, self.registry.functions[key]))
            else:
                nodes.append(self._tensor_node(node_id, key, self.registry.tensors[key]))
        self.links.data(self.registry)
        self.links.saved(self.registry, storage_index)
        self.links.detached(self.registry, self.recorder.detached_from)
        if on_drawn is not None:  # what a drawing reads is known: it can start
            on_drawn(nodes, self.edges)
        self._values(nodes, storage_index)
        names = {n.id: n.label for n in nodes if isinstance(n, TensorNode)}
        self.chain = ChainTerms(self.preview, names, storage_index.find)
        self.edges_from: dict[str, list[Edge]] = {}
        for edge in self.edges:
            if edge.kind == "data":
                self.edges_from.setdefault(edge.source, []).append(edge)
        passes = [self._backward_pass(i, p) for i, p in enumerate(self.recorder.passes)]
        variables: dict[str, str] = {}
        for name, tensor in final:
            found = self.ids.get(self.registry.tensor_key(tensor))
            if found is None:
                continue
            if len(variables) < self.limits.max_graph_nodes:
                variables[self._text(name)] = found
            else:
                self.omitted.names += 1
        return Graph(
            nodes=nodes,
            edges=self.edges,
            backward=passes,
            truncated=self.truncated or self.omitted.any(),
            variables=variables,
            omitted=self.omitted,
            curve=self.recorder.curve.shown(),
            modules=module_table(self.recorder.modules),
        )

    def _text(self, text: str, *, counted: bool = True) -> str:
        """``text`` (a label, a name), cut in the middle to the label limit (what was cut is
        counted, unless it is a name already counted once in this node's ``names``)."""
        limit = self.limits.max_label_chars
        if len(text) <= limit:
            return text
        if counted:
            self.omitted.text_chars += len(text) - limit
        head = (limit - 1) // 2
        return text[:head] + "…" + text[len(text) - (limit - 1 - head) :]

    # --- nodes --------------------------------------------------------------------------------------
    def _tensor_node(self, node_id: str, key: TensorKey, record: TensorRecord) -> TensorNode:
        tensor = record.tensor
        limit = self.limits.max_label_chars
        names = [n if len(n) <= limit else self._text(n) for n in record.names]
        self.omitted.names += record.names_omitted
        role = self._role(record)
        bindings = self._bindings(key, record)
        if bindings:
            bound = {b.name for b in bindings}
            shown = binding_texts(bindings) + [n for n in names if n not in bound]
        else:
            shown = names
        label = ", ".join(shown) if shown else _unnamed_label(role, tensor)
        # Positional, in the fields' order (a 10,000-op chain makes 10,000): the value, states
        # and iteration come once the drawn part is known (``_values``): no drawing reads them.
        return TensorNode(
            node_id,
            (label if len(label) <= limit else self._text(label)) if shown else label,
            names[0] if names else None,
            names,
            role,
            list(tensor.shape),
            dtype_name(tensor.dtype),
            tensor.requires_grad,
            is_leaf(tensor),
            _op_name(grad_fn(tensor)),
            tensor.retains_grad,
            _PENDING,
            None,
            record.line,
            None if tensor.is_inference() else tensor._version,
            bindings,
        )

    def _iteration(self, record: TensorRecord, tensor: torch.Tensor) -> int | None:
        """How many backward calls had run when the tensor was made (its ``grad_fn`` was) or,
        without one, first bound."""
        node = grad_fn(tensor)
        if node is not None and id(node) in self.recorder.node_calls:
            return self.recorder.node_calls[id(node)]
        entry = self.registry.names.named.get(record.object_id)
        return None if entry is None else entry.call

    def _bindings(self, key: TensorKey, record: TensorRecord) -> list[NameBinding]:
        """Where the program bound the tensor, and which of those bindings is current."""
        entry = self.registry.names.named.get(record.object_id)
        if entry is None:
            return []
        found: list[NameBinding] = []
        limit = self.limits.max_label_chars
        times_of = self.registry.names.times
        for (name, scope, line), iteration in entry.bindings.items():
            times = times_of.get((name, scope, line), 1)
            found.append(
                NameBinding(
                    name if len(name) <= limit else self._text(name, counted=False),
                    None if scope is None else self._text(scope, counted=False),
                    line,
                    iteration if times > 1 else None,
                    times if times > 1 else None,
                    scope is None and self.current.get(name) == key,
                )
            )
        return found

    def _role(self, record: TensorRecord) -> TensorRole:
        tensor = record.tensor
        if isinstance(tensor, nn.Parameter):
            return "parameter"
        if record.kind == "leaf":
            return "leaf"
        if record.is_root:
            return "root"
        if record.kind == "out":
            return "named"
        if id(tensor) in self.recorder.detached_from:
            return "detached"
        if id(tensor) in self.recorder.no_grad_results:
            return "no_grad"
        return "constant"

    def _function_node(self, node_id: str, record: FunctionRecord) -> FunctionNode:
        self.omitted.saved += record.saved_omitted
        self.registry.settle(record)  # before the dashed edges, which read what it saved
        op = record.op  # a program's own autograd.Function may have a long name
        op = op if len(op) <= self.limits.max_label_chars else self._text(op)
        node = id(record.node)
        scope = self.recorder.node_modules.get(node)
        if scope is None:
            module = module_type = None
        else:
            self.omitted.text_chars += scope.cut  # cut like a label, counted on each node
            module, module_type = scope.path, scope.type
        return FunctionNode(
            node_id,
            op,
            op,
            self.recorder.node_lines.get(node),
            [],  # filled by ``_values``
            self.recorder.node_versions.get(node),
            self.recorder.node_calls.get(node),
            module,
            module_type,
        )

    def _values(self, nodes: list[TensorNode | FunctionNode], storage_index: TensorIndex) -> None:
        """Every node's values (a tensor's value and .grad, states and iteration; a function's
        saved values), in the nodes' order: the order in which a large graph's budget of
        numbers is spent."""
        functions, tensors = self.registry.functions, self.registry.tensors
        preview, find = self.preview, storage_index.find
        for node, key in zip(nodes, self.ids, strict=True):
            if isinstance(key, int):
                assert isinstance(node, FunctionNode)
                node.saved = [saved_value(item, preview, find) for item in functions[key].saved]
                continue
            assert isinstance(node, TensorNode)
            record = tensors[key]
            tensor = record.tensor
            entries = record.states.entries
            # A log of one entry, the flags the node shows (read by ``_tensor_node``: the same as
            # ``state_of`` for a tensor of PyTorch's own types, which no __torch_function__ of a
            # program's intercepts), shows no states; nor does an empty one.
            if entries and not (
                len(entries) == 1
                and type(tensor) in _PLAIN_TYPES
                and _shows_state(node, entries[0][1])
            ):
                node.states = states_shown(record.states, state_of(tensor), self.pass_index)
            node.iteration = self._iteration(record, tensor)
            node.value = preview(tensor)
            grad = tensor.grad if is_leaf(tensor) or tensor.retains_grad else None
            node.grad = preview(grad) if grad is not None else None

    def _storage_index(self) -> TensorIndex:
        index = TensorIndex()
        tensors = self.registry.tensors
        index.add_all(
            (tensors[key].tensor, node_id)
            for key, node_id in self.ids.items()
            if not isinstance(key, int)
        )
        return index

    # --- backward passes ------------------------------------------------------------------------------
    def _value(self, snapshot: Snapshot) -> TensorValue:
        """A gradient a pass recorded, formatted now (its pass is one the graph shows)."""
        return self.preview(snapshot) if isinstance(snapshot, torch.Tensor) else snapshot

    def _backward_pass(self, index: int, recorded: RecordedPass) -> BackwardPass:
        steps: list[BackwardStep] = []
        ids, functions = self.ids, self.registry.functions
        output_edges, slot_edges = self.output_edges, self.slot_edges
        preview, tensor_type = self.preview, torch.Tensor
        for step in recorded.steps:
            node = step.node
            key = id(node)
            node_id = ids.get(key) if key in functions else self._node_id(node)
            if node_id is None:
                continue
            edges: list[str] = []
            hooked, hook = self._hook_change(step, recorded) if recorded.hook_before else (-1, None)
            for output_nr, value in step.output_grads:
                before = hook.before if hook is not None and output_nr == hooked else None
                for edge in output_edges.get((key, output_nr), ()):
                    shown = preview(value) if isinstance(value, tensor_type) else value
                    edge.grads.append(EdgeGrad(index, shown, before))
                    edges.append(edge.id)
            for slot, value in step.slot_grads:
                slot_edge = slot_edges.get((key, slot))
                if slot_edge is not None:
                    shown = preview(value) if isinstance(value, tensor_type) else value
                    slot_edge.grads.append(EdgeGrad(index, shown))
                    edges.append(slot_edge.id)
            grad = self._value(step.leaf_grad) if step.leaf_grad is not None else None
            steps.append(self._chain(BackwardStep(node_id, edges, grad, hook=hook), step, index))
        roots = [self.ids[k] for k in self._keys(recorded.roots) if k in self.ids]
        error = recorded.error
        return BackwardPass(
            index=index,
            kind=recorded.kind,
            line=recorded.line,
            roots=roots,
            steps=steps,
            error=None if error is None else self._error(error),
            call=recorded.serial,
        )

    def _hook_change(
        self, step: RecordedStep, recorded: RecordedPass
    ) -> tuple[int, HookChange | None]:
        """Where a hook of the program's changed the gradient that reached the step's tensor:
        the node's output it reached, the gradient that arrived (noted before the hooks ran)
        and the one the node used."""
        if not recorded.hook_before:
            return -1, None
        variable = getattr(step.node, "variable", None)
        for output_nr, after in step.output_grads:
            key: TensorKey = (
                ("tensor", id(variable), 0)
                if isinstance(variable, torch.Tensor)
                else ("out", id(step.node), output_nr)
            )
            record = self.registry.tensors.get(key)
            tensor_id = self.ids.get(key)
            before = None if record is None else recorded.hook_before.get(record.object_id)
            if before is None or tensor_id is None or same_snapshot(before, after):
                continue
            change = HookChange(
                tensor=tensor_id, before=self._value(before), after=self._value(after)
            )
            return output_nr, change
        return -1, None

    def _chain(self, shown: BackwardStep, step: RecordedStep, index: int) -> BackwardStep:
        """The step's chain rule in numbers: what came in, and what went out to each input."""
        out_edges = self.edges_from.get(shown.node, ())
        whole = not self.truncated and not self.omitted.edges  # no edge out left out
        received, shown.incoming = self.chain.incoming(
            step.output_grads, out_edges, index, whole, self._value
        )
        key = id(step.node)
        record = self.registry.functions.get(key)
        if record is None:  # a leaf's AccumulateGrad: it adds what came in to .grad
            return shown
        # (loops, not comprehensions: a step has an input or two, 10,000 steps a chain)
        edges: dict[int, Edge] = {}
        for slot in range(len(record.inputs)):
            edge = self.slot_edges.get((key, slot))
            if edge:
                edges[slot] = edge
        slots = []
        for slot, _ in step.slot_grads:
            if slot in edges:
                slots.append((slot, edges[slot]))
        sources = {}
        for slot, edge in edges.items():
            sources[slot] = edge.source
        shown.chain = self.chain.terms(record, slots, sources, received, step.slot_grads)
        return shown

    def _error(self, error: PassError) -> BackwardError:
        node = None if error.node is None else self._node_id(error.node)
        return BackwardError(type=error.type, message=error.message, line=error.line, node=node)

    def _node_id(self, node: Node) -> str | None:
        """The id of the graph node an autograd node is shown as (AccumulateGrad: its leaf)."""
        variable = getattr(node, "variable", None)
        key: int | TensorKey = (
            ("tensor", id(variable), 0) if isinstance(variable, torch.Tensor) else id(node)
        )
        return self.ids.get(key)

    def _keys(self, tensors: Iterable[torch.Tensor]) -> list[TensorKey]:
        return [self.registry.tensor_key(t) for t in tensors]


_PLAIN_TYPES = (torch.Tensor, nn.Parameter)


def _shows_state(node: TensorNode, state: TensorState) -> bool:
    """Whether ``node`` shows the flags of ``state``."""
    return (
        state.requires_grad == node.requires_grad
        and state.is_leaf == node.is_leaf
        and state.grad_fn == node.grad_fn
        and state.version == node.version
    )


def _unnamed_label(role: TensorRole, tensor: torch.Tensor) -> str:
    return {"root": "backward root", "no_grad": "no_grad result"}.get(role, role)
