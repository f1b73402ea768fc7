"""A graph's edges: forward data flow along ``next_functions``, the dashed inputs an op saved,
and a detached tensor's link to where it came from, numbered ``e0, e1, ...`` in that order and
held within the edge limits (in all, and between two nodes)."""

from __future__ import annotations

import torch

from app.graph_model import Edge, EdgeKind, Omitted
from app.limits import Limits
from app.walk.records import TensorKey
from app.walk.registry import GraphRegistry
from app.walk.tensor_index import TensorIndex


class GraphEdges:
    """The edges between the nodes ``ids`` names (registry key -> node id)."""

    def __init__(self, ids: dict[int | TensorKey, str], limits: Limits, omitted: Omitted) -> None:
        self.ids = ids
        self.limits = limits
        self.omitted = omitted
        self.edges: list[Edge] = []
        self.pairs: dict[tuple[str, str], int] = {}  # edges so far between two nodes
        # The data edge into each function's input slot, and those out of each output.
        self.slot_edges: dict[tuple[int, int], Edge] = {}
        self.output_edges: dict[tuple[int, int], list[Edge]] = {}
        self._max_parallel = limits.max_parallel_edges
        self._max_edges = limits.max_graph_edges

    def add(
        self,
        source: str,
        target: str,
        kind: EdgeKind,
        output_nr: int | None = None,
        input_nr: int | None = None,
    ) -> Edge | None:
        """A new edge, or None past the edge limits (in all, or between these two nodes:
        ``torch.cat([x] * 99999)`` reads ``x`` 99,999 times)."""
        pair = (source, target)
        parallel = self.pairs.get(pair, 0)
        edges = self.edges
        if parallel >= self._max_parallel or len(edges) >= self._max_edges:
            self.omitted.edges += 1
            return None
        self.pairs[pair] = parallel + 1
        edge = Edge(f"e{len(edges)}", source, target, kind, output_nr, input_nr)
        edges.append(edge)
        return edge

    def data(self, registry: GraphRegistry) -> None:
        """Producer to named tensor, then each function's inputs to it."""
        ids, add, functions = self.ids, self.add, registry.functions
        on_output: dict[tuple[int, int], str] = {}
        for key, node_id in ids.items():
            if not isinstance(key, int) and key[0] == "out":
                fn_id, output_nr = key[1], key[2]
                producer = ids.get(fn_id)
                edge = None
                if producer is not None:
                    edge = add(producer, node_id, "data", output_nr)
                if edge is not None:
                    self.output_edges.setdefault((fn_id, output_nr), []).append(edge)
                on_output[(fn_id, output_nr)] = node_id
        for key, node_id in ids.items():
            if not isinstance(key, int):
                continue
            for slot, source in enumerate(functions[key].inputs):
                if source is None:
                    continue
                origin, output_nr = source
                source_id = on_output.get((origin, output_nr)) if isinstance(origin, int) else None
                source_id = source_id or ids.get(origin)
                if source_id is None:
                    continue
                edge = add(source_id, node_id, "data", output_nr, slot)
                if edge is not None:
                    self.slot_edges[(key, slot)] = edge

    def saved(self, registry: GraphRegistry, storage_index: TensorIndex) -> None:
        """Dashed inputs: tensors without grad (constants, detached, no_grad results) an op saved."""
        for key, node_id in self.ids.items():
            if not isinstance(key, int):
                continue
            seen: set[str] = set()
            for item in registry.functions[key].saved:
                if item.tensor is None or item.tensor.requires_grad:
                    continue
                source = storage_index.find(item.tensor)
                if source is not None and source not in seen:
                    seen.add(source)
                    self.add(source, node_id, "saved")

    def detached(self, registry: GraphRegistry, detached_from: dict[int, torch.Tensor]) -> None:
        """A detached tensor from the tensor it was detached from."""
        for key, node_id in self.ids.items():
            if isinstance(key, int) or registry.tensors[key].kind != "plain":
                continue
            source = detached_from.get(key[1])
            if source is None:
                continue
            source_id = self.ids.get(registry.tensor_key(source))
            if source_id is not None:
                self.add(source_id, node_id, "detach")
