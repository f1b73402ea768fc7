"""Turn what the recorder found into the plain ``Graph`` the API returns.

Ids are ``n0, n1, ...`` in the order the walk visited nodes, and ``e0, e1, ...`` for edges, so
the same program always yields the same ids (never ``id()`` of a Python object).
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
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
    Omitted,
    SavedValue,
    TensorNode,
    TensorRole,
    TensorValue,
)
from app.limits import Limits
from app.walk.capture import GraphRecorder, PassError, RecordedPass, RecordedStep, Snapshot
from app.walk.chain_terms import ChainTerms
from app.walk.preview import dtype_name
from app.walk.registry import FunctionRecord, TensorKey, TensorRecord, grad_fn
from app.walk.saved_values import saved_value

_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 40
StorageKey = tuple[int, int, tuple[int, ...], tuple[int, ...], torch.dtype]


def named_tensors(namespace: dict[str, Any]) -> list[tuple[str, torch.Tensor]]:
    """Tensors a program's variables hold: directly, in lists/tuples/dicts, or as module parameters."""
    found: list[tuple[str, torch.Tensor]] = []
    for name, value in namespace.items():
        if name.startswith("_"):
            continue
        if isinstance(value, torch.Tensor):
            found.append((name, value))
        elif isinstance(value, nn.Module):
            found.extend(_module_parameters(name, value))
        elif isinstance(value, (list, tuple)):
            found.extend(
                (f"{name}[{i}]", v) for i, v in enumerate(value) if isinstance(v, torch.Tensor)
            )
        elif isinstance(value, dict):
            found.extend(
                (f"{name}[{_SHORT.repr(k)}]", v)
                for k, v in value.items()
                if isinstance(v, torch.Tensor)
            )
    return found


def extract(recorder: GraphRecorder, namespace: dict[str, Any], limits: Limits) -> Graph:
    """Walk from every tensor the program holds and every backward root, and build the Graph
    (cut to ``limits``: what was left out is counted in its ``omitted``)."""
    registry = recorder.registry
    max_nodes = limits.max_graph_nodes
    final = named_tensors(namespace)
    registry.make_room(max_nodes)
    registry.next_generation()
    for name, tensor in final:
        registry.name_tensor(tensor, name)
    for recorded in recorder.passes:
        registry.discover(recorded.roots, roots=True)
    registry.discover_named()
    registry.discover([tensor for _, tensor in final], always=True)
    # Should the graph be cut, the program's final state is kept first, then its latest
    # backward passes: each is marked newer than what came before it.
    for recorded in recorder.passes:
        registry.promote(recorded.roots)
    registry.promote([tensor for _, tensor in final])
    return _Builder(recorder, limits).build(final)


def _module_parameters(name: str, module: nn.Module) -> list[tuple[str, torch.Tensor]]:
    """``named_parameters`` without recursion (torch's own recurses once per nesting level)."""
    found: list[tuple[str, torch.Tensor]] = []
    seen: set[int] = set()
    stack = [(name, module)]
    while stack:
        prefix, current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for pname, param in current._parameters.items():
            if param is not None and id(param) not in seen:
                seen.add(id(param))
                found.append((_short_name(f"{prefix}.{pname}"), param))
        children = [(f"{prefix}.{c}", m) for c, m in current._modules.items() if m is not None]
        stack.extend(reversed(children))
    return found


def _is_leaf(tensor: torch.Tensor) -> bool:
    """``tensor.is_leaf``; a view whose base was changed in place, where PyTorch refuses to
    say (it would have to rebuild the view's ``grad_fn``), is shown as what it was made:
    not a leaf if it requires grad."""
    try:
        return tensor.is_leaf
    except RuntimeError:
        return not tensor.requires_grad


def _op_name(node: object) -> str | None:
    return type(node).__name__ if node is not None else None


def _short_name(name: str, limit: int = 80) -> str:
    return name if len(name) <= limit else name[:40] + "…" + name[-(limit - 41) :]


class _Builder:
    def __init__(self, recorder: GraphRecorder, limits: Limits) -> None:
        self.recorder = recorder
        self.registry = recorder.registry
        self.preview = recorder.preview
        self.limits = limits
        # The values as they are now (``.data`` writes bump no version), within the answer's
        # budget of preview text.
        self.preview.clear(budget=True)
        kept = self.registry.newest(limits.max_graph_nodes)
        # Found but not shown: past the limit now, or let go earlier for newer iterations.
        self.omitted = Omitted(nodes=len(self.registry.order) - len(kept) + self.registry.evicted)
        self.truncated = self.registry.overflowed
        self.ids: dict[int | TensorKey, str] = {key: f"n{i}" for i, key in enumerate(kept)}
        self.edges: list[Edge] = []
        self.pairs: dict[tuple[str, str], int] = {}  # edges so far between two nodes
        self.slot_edges: dict[tuple[int, int], Edge] = {}
        self.output_edges: dict[tuple[int, int], list[Edge]] = {}

    def build(self, final: list[tuple[str, torch.Tensor]]) -> Graph:
        nodes: list[TensorNode | FunctionNode] = []
        storage_index = self._storage_index()
        for key, node_id in self.ids.items():
            if isinstance(key, int):
                nodes.append(
                    self._function_node(node_id, self.registry.functions[key], storage_index)
                )
            else:
                nodes.append(self._tensor_node(node_id, self.registry.tensors[key]))
        self._data_edges()
        self._saved_edges(storage_index)
        self._detach_edges()
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
        )

    def _text(self, text: str) -> str:
        """``text`` (a label, a name), cut in the middle to the label limit."""
        limit = self.limits.max_label_chars
        if len(text) <= limit:
            return text
        self.omitted.text_chars += len(text) - limit
        head = (limit - 1) // 2
        return text[:head] + "…" + text[len(text) - (limit - 1 - head) :]

    # --- nodes --------------------------------------------------------------------------------------
    def _tensor_node(self, node_id: str, record: TensorRecord) -> TensorNode:
        tensor = record.tensor
        names = [self._text(name) for name in record.names]
        self.omitted.names += record.names_omitted
        role = self._role(record)
        is_leaf = _is_leaf(tensor)
        reads_grad = is_leaf or tensor.retains_grad
        grad = tensor.grad if reads_grad else None
        return TensorNode(
            id=node_id,
            label=self._text(", ".join(names)) if names else _unnamed_label(role, tensor),
            name=names[0] if names else None,
            names=names,
            role=role,
            shape=list(tensor.shape),
            dtype=dtype_name(tensor.dtype),
            requires_grad=tensor.requires_grad,
            is_leaf=is_leaf,
            grad_fn=_op_name(grad_fn(tensor)),
            retains_grad=tensor.retains_grad,
            value=self.preview(tensor),
            grad=self.preview(grad) if grad is not None else None,
            line=record.line,
            version=None if tensor.is_inference() else tensor._version,
        )

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

    def _function_node(
        self, node_id: str, record: FunctionRecord, storage_index: _TensorIndex
    ) -> FunctionNode:
        saved: list[SavedValue] = []
        self.omitted.saved += record.saved_omitted
        for item in self.registry.settle(record):
            saved.append(saved_value(item, self.preview, storage_index.find))
        op = self._text(record.op)  # a program's own autograd.Function may have a long name
        return FunctionNode(
            id=node_id,
            label=op,
            op=op,
            line=self.recorder.node_lines.get(id(record.node)),
            saved=saved,
        )

    def _storage_index(self) -> _TensorIndex:
        index = _TensorIndex()
        for key, node_id in self.ids.items():
            if not isinstance(key, int):
                index.add(self.registry.tensors[key].tensor, node_id)
        return index

    # --- edges --------------------------------------------------------------------------------------
    def _edge(self, source: str, target: str, kind: Any, **fields: Any) -> Edge | None:
        """A new edge, or None past the edge limits (in all, or between these two nodes:
        ``torch.cat([x] * 99999)`` reads ``x`` 99,999 times)."""
        pair = (source, target)
        parallel = self.pairs.get(pair, 0)
        if (
            parallel >= self.limits.max_parallel_edges
            or len(self.edges) >= self.limits.max_graph_edges
        ):
            self.omitted.edges += 1
            return None
        self.pairs[pair] = parallel + 1
        edge = Edge(id=f"e{len(self.edges)}", source=source, target=target, kind=kind, **fields)
        self.edges.append(edge)
        return edge

    def _data_edges(self) -> None:
        on_output: dict[tuple[int, int], str] = {}
        for key, node_id in self.ids.items():
            if not isinstance(key, int) and key[0] == "out":
                fn_id, output_nr = key[1], key[2]
                producer = self.ids.get(fn_id)
                edge = None
                if producer is not None:
                    edge = self._edge(producer, node_id, "data", output_nr=output_nr)
                if edge is not None:
                    self.output_edges.setdefault((fn_id, output_nr), []).append(edge)
                on_output[(fn_id, output_nr)] = node_id
        for key, node_id in self.ids.items():
            if not isinstance(key, int):
                continue
            for slot, source in enumerate(self.registry.functions[key].inputs):
                if source is None:
                    continue
                origin, output_nr = source
                source_id = on_output.get((origin, output_nr)) if isinstance(origin, int) else None
                source_id = source_id or self.ids.get(origin)
                if source_id is None:
                    continue
                edge = self._edge(source_id, node_id, "data", output_nr=output_nr, input_nr=slot)
                if edge is not None:
                    self.slot_edges[(key, slot)] = edge

    def _saved_edges(self, storage_index: _TensorIndex) -> None:
        """Dashed inputs: tensors without grad (constants, detached, no_grad results) an op saved."""
        for key, node_id in self.ids.items():
            if not isinstance(key, int):
                continue
            seen: set[str] = set()
            for item in self.registry.functions[key].saved:
                if item.tensor is None or item.tensor.requires_grad:
                    continue
                source = storage_index.find(item.tensor)
                if source is not None and source not in seen:
                    seen.add(source)
                    self._edge(source, node_id, "saved")

    def _detach_edges(self) -> None:
        for key, node_id in self.ids.items():
            if isinstance(key, int) or key[0] != "plain":
                continue
            source = self.recorder.detached_from.get(key[1])
            if source is None:
                continue
            source_id = self.ids.get(self.registry.tensor_key(source))
            if source_id is not None:
                self._edge(source_id, node_id, "detach")

    # --- backward passes ------------------------------------------------------------------------------
    def _value(self, snapshot: Snapshot) -> TensorValue:
        """A gradient a pass recorded, formatted now (its pass is one the graph shows)."""
        return self.preview(snapshot) if isinstance(snapshot, torch.Tensor) else snapshot

    def _backward_pass(self, index: int, recorded: RecordedPass) -> BackwardPass:
        steps: list[BackwardStep] = []
        for step in recorded.steps:
            node = step.node
            node_id = self._node_id(node)
            if node_id is None:
                continue
            edges: list[str] = []
            for output_nr, value in step.output_grads:
                for edge in self.output_edges.get((id(node), output_nr), []):
                    edge.grads.append(EdgeGrad(backward_pass=index, value=self._value(value)))
                    edges.append(edge.id)
            for slot, value in step.slot_grads:
                slot_edge = self.slot_edges.get((id(node), slot))
                if slot_edge is not None:
                    slot_edge.grads.append(EdgeGrad(backward_pass=index, value=self._value(value)))
                    edges.append(slot_edge.id)
            grad = self._value(step.leaf_grad) if step.leaf_grad is not None else None
            shown = BackwardStep(node=node_id, edges=edges, grad=grad)
            steps.append(self._chain(shown, step, index))
        roots = [self.ids[k] for k in self._keys(recorded.roots) if k in self.ids]
        error = recorded.error
        return BackwardPass(
            index=index,
            kind=recorded.kind,
            line=recorded.line,
            roots=roots,
            steps=steps,
            error=None if error is None else self._error(error),
        )

    def _chain(self, shown: BackwardStep, step: RecordedStep, index: int) -> BackwardStep:
        """The step's chain rule in numbers: what came in, and what went out to each input."""
        out_edges = self.edges_from.get(shown.node, [])
        whole = not self.truncated and not self.omitted.edges  # no edge out left out
        received = [
            (nr, self.chain.received(nr, out_edges, index, whole) or self._value(value))
            for nr, value in step.output_grads
        ]
        shown.incoming = self.chain.incoming(received, out_edges)
        record = self.registry.functions.get(id(step.node))
        if record is None:  # a leaf's AccumulateGrad: it adds what came in to .grad
            return shown
        key = id(step.node)
        edges = {s: e for s in range(len(record.inputs)) if (e := self.slot_edges.get((key, s)))}
        slots = [(slot, edges[slot]) for slot, _ in step.slot_grads if slot in edges]
        out = {slot: list(value.shape) for slot, value in step.slot_grads}
        grad = list(received[0][1].shape) if received else None
        sources = {slot: edge.source for slot, edge in edges.items()}
        shown.chain = self.chain.terms(record, slots, sources, grad, out)
        return shown

    def _error(self, error: PassError) -> BackwardError:
        node = None if error.node is None else self._node_id(error.node)
        return BackwardError(type=error.type, message=error.message, line=error.line, node=node)

    def _node_id(self, node: Node) -> str | None:
        """The id of the graph node an autograd node is shown as (AccumulateGrad: its leaf)."""
        variable = getattr(node, "variable", None)
        key: int | TensorKey = (
            ("leaf", id(variable), 0) if isinstance(variable, torch.Tensor) else id(node)
        )
        return self.ids.get(key)

    def _keys(self, tensors: Iterable[torch.Tensor]) -> list[TensorKey]:
        return [self.registry.tensor_key(t) for t in tensors]


class _TensorIndex:
    """Finds the tensor node a saved tensor is: the same object, else the same memory and flags.

    PyTorch hands back the very tensor object an op saved as an input, but a fresh object for a
    saved output, and ``detach()`` shares memory with its source; hence the fallback, which
    prefers a node whose ``requires_grad`` agrees with the saved tensor's.
    """

    def __init__(self) -> None:
        self.by_object: dict[int, str] = {}
        self.by_storage: dict[StorageKey, list[tuple[bool, str]]] = {}

    def add(self, tensor: torch.Tensor, node_id: str) -> None:
        self.by_object.setdefault(id(tensor), node_id)
        self.by_storage.setdefault(_storage_key(tensor), []).append((tensor.requires_grad, node_id))

    def find(self, tensor: torch.Tensor) -> str | None:
        found = self.by_object.get(id(tensor))
        if found is not None:
            return found
        candidates = self.by_storage.get(_storage_key(tensor), [])
        for requires_grad, node_id in candidates:
            if requires_grad == tensor.requires_grad:
                return node_id
        return candidates[0][1] if candidates else None


def _storage_key(tensor: torch.Tensor) -> StorageKey:
    with torch._C.DisableTorchFunction():
        return (
            tensor.untyped_storage().data_ptr(),
            int(tensor.storage_offset()),
            tuple(tensor.shape),
            tuple(tensor.stride()),
            tensor.dtype,
        )


def _unnamed_label(role: TensorRole, tensor: torch.Tensor) -> str:
    return {"root": "backward root", "no_grad": "no_grad result"}.get(role, role)
