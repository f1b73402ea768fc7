"""Everything the walk over ``grad_fn`` / ``next_functions`` has found, in the order it was found.

The walk is iterative (a 10,000-op chain must not hit Python's recursion limit) and may run
several times in one program: before each backward pass (backward frees saved tensors, so we
snapshot them first) and once at the end. Records keep the objects they describe alive so
that ``id()`` stays unique for the whole run; public ids are assigned later, in visit order.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Literal

import torch
from torch.autograd.graph import Node
from torch.utils.hooks import RemovableHandle

from app.graph_model import TensorValue
from app.walk.records import FunctionRecord, TensorKey, TensorRecord
from app.walk.saved_values import SavedCopies, SavedRecord, read_saved, refresh
from app.walk.tensor_names import Names, holder
from app.walk.tensor_states import Moment, built_at, grad_fn, state_of

# Saved-value snapshots are kept for the nodes the last this-many backward passes reached.
_SNAPSHOT_GENERATIONS = 3
# The elements one backward pass copies of the values its nodes saved (a saved tensor past
# this is formatted at once instead: a copy may never cost more memory than this).
_COPY_BUDGET = 4_000_000


class GraphRegistry:
    """The nodes found so far, keyed by the identity of the PyTorch object behind each."""

    def __init__(self, max_records: int, max_saved: int = 32, max_names: int = 32) -> None:
        self.max_records = max_records
        self.max_saved = max_saved
        self.max_names = max_names
        self.functions: dict[int, FunctionRecord] = {}
        self.tensors: dict[TensorKey, TensorRecord] = {}
        self.order: list[int | TensorKey] = []
        self.names = Names(max_names)
        self._object_keys: dict[int, TensorKey] = {}  # id(tensor) -> the key of its record
        self.moment = Moment("end")  # when the walk reads tensors' states (set per pass)
        self.first_pass: int | None = None  # the first backward pass's generation
        # Each record's generation: the backward pass (or the end) that last reached it.
        self.generation = 0
        self.reached: dict[int | TensorKey, int] = {}
        self._in_generation: dict[int, set[int | TensorKey]] = {}  # reached's inverse
        self._dead: set[TensorKey] = set()  # plain tensors the program has dropped
        self.overflowed = False
        self.evicted = 0  # records let go to make room for newer ones
        self._copies = SavedCopies(_COPY_BUDGET)  # this pass's copies of saved values

    # --- names ------------------------------------------------------------------------------------
    def _mark_dead(self, key: TensorKey, _: object = None) -> None:
        self._dead.add(key)

    def shows(self, tensor: torch.Tensor) -> bool:
        """Whether the graph has a record of ``tensor`` (under whatever key)."""
        key = self._object_keys.get(id(tensor))
        return key is not None and key in self.tensors and self.tensors[key].ref() is tensor

    def named_tensors(self) -> list[torch.Tensor]:
        """The named tensors that are still alive."""
        return self.names.alive()

    def discover_named(self) -> None:
        """Walk from the tensors named since the last call."""
        self.discover(self.names.take_fresh())

    def make_room(self, records: int) -> None:
        """Let ``records`` more records in without letting older ones go (the end of the
        program: what it holds is added to what the passes found)."""
        self.max_records = max(self.max_records, len(self.order) + records)

    def next_generation(self, *, release: bool = True) -> None:
        """A new backward pass (or, ``release=False``, the end of the program): what it
        reaches is newer.

        Before a pass, the values saved by nodes no recent pass reached are let go (their
        shape and dtype stay): a loop's earlier iterations are the first the graph cuts, and
        their snapshots would otherwise hold a copy of every iteration's tensors. The end
        lets nothing go: no more copies are made, and the last passes keep what they saved.
        """
        self.generation += 1
        self._copies = SavedCopies(_COPY_BUDGET)
        if not release:
            return
        if self.first_pass is None:
            self.first_pass = self.generation
        for key in list(self._in_generation.get(self.generation - _SNAPSHOT_GENERATIONS, ())):
            if isinstance(key, int):
                for item in self.functions[key].saved:
                    item.release()
            else:
                self._let_go(key)

    # --- saved values -------------------------------------------------------------------------------
    def saved_hooks(
        self, node: Node, preview: Callable[[torch.Tensor], TensorValue]
    ) -> list[RemovableHandle]:
        """``saved_copier`` as a pre hook of ``node`` (none if it saved no tensor)."""
        copier = self.saved_copier(node, preview)
        return [] if copier is None else [node.register_prehook(lambda _: copier())]

    def saved_copier(
        self, node: Node, preview: Callable[[torch.Tensor], TensorValue]
    ) -> Callable[[], None] | None:
        """What copies the values ``node`` saved, to call just before its backward runs: what
        the graph shows is what that backward used, even once the program changes the tensor
        (an optimizer step updates a saved weight in place). None if it saved no tensor."""
        key = id(node)
        record = self.functions.get(key)
        if record is None or not _copies_any(record.saved):
            return None
        copy = functools.partial(self._copies.take, preview=preview)
        functions, reached = self.functions, self.reached
        saved, limit = record.saved, self.max_saved

        def before() -> None:
            # run by this pass (a retained graph's 2nd pass too)
            if key in functions and reached.get(key) != self.generation:
                self._reach(key)
            refresh(saved, node, limit, copy)

        return before

    def settle(self, record: FunctionRecord) -> list[SavedRecord]:
        """The node's saved values at the end of the program: read again (a value no backward
        used is shown as it is now, or as PyTorch now refuses it), copies kept."""
        refresh(record.saved, record.node, self.max_saved, None)
        return record.saved

    def _reach(self, key: int | TensorKey) -> None:
        """The walk reached ``key`` in the current generation."""
        before = self.reached.get(key)
        if before != self.generation:
            self._move(key, before, self.generation)

    def _move(self, key: int | TensorKey, before: int | None, generation: int) -> None:
        """``key``, last reached in ``before`` (None: never), is now of ``generation``."""
        if before is not None:
            self._in_generation[before].discard(key)
        self.reached[key] = generation
        keys = self._in_generation.get(generation)
        if keys is None:
            keys = self._in_generation[generation] = set()
        keys.add(key)

    def _let_go(self, key: TensorKey) -> None:
        """Hold an earlier iteration's tensor only while the program does (its activations
        and predictions would otherwise pile up, one set per iteration)."""
        record = self.tensors[key]
        tensor = record.ref()
        if tensor is None or isinstance(record.ref, weakref.ref) or record.kind == "leaf":
            return
        record.ref = weakref.ref(tensor, functools.partial(self._mark_dead, key))
        entry = self.names.named.get(id(tensor))
        if entry is not None and not isinstance(entry.tensor, weakref.ref):
            entry.tensor = weakref.ref(tensor, functools.partial(self.names.forget, id(tensor)))

    def promote(self, *groups: list[torch.Tensor]) -> None:
        """Mark everything the graphs of each group of ``tensors`` hold as newer than all
        before, each group newer than the groups before it (adding nothing): what the graph
        must keep when it is cut. Nothing is let go: the program has ended, and the values
        saved by its latest passes are what the graph shows.

        As calling it with each group in turn would, walking each node once: the newest group
        first, then each older one only where no newer one went (a chain's backward pass and
        its final state are one graph of 20,000 nodes, walked once)."""
        first = self.generation + 1
        self.generation += len(groups)
        seen: set[int] = set()
        for generation in range(self.generation, first - 1, -1):
            stack: list[Node] = []
            for tensor in groups[generation - first]:
                key = self.tensor_key(tensor)
                if key in self.tensors:
                    self._reach_at(key, generation)
                node = grad_fn(tensor)
                if node is not None:
                    stack.append(node)
            while stack:
                node = stack.pop()
                node_id = id(node)
                if node_id in seen:  # this group's walk went there, or a newer one's
                    continue
                seen.add(node_id)
                if node_id in self.functions:  # never an AccumulateGrad: its leaf is recorded
                    self._reach_at(node_id, generation)
                else:
                    variable = getattr(node, "variable", None)
                    if isinstance(variable, torch.Tensor):
                        leaf = ("tensor", id(variable), 0)
                        if leaf in self.tensors:
                            self._reach_at(leaf, generation)
                        continue
                for nxt, _ in node.next_functions:
                    if nxt is not None:
                        stack.append(nxt)

    def _reach_at(self, key: int | TensorKey, generation: int) -> None:
        """``_reach`` for ``promote``: a group reached ``key``, unless a newer one did."""
        before = self.reached.get(key)
        if before is None or before < generation:  # else this promote's newer group: kept
            self._move(key, before, generation)

    def newest(self, limit: int) -> list[int | TensorKey]:
        """At most ``limit`` records in walk order, the most recently reached ones: the
        program's final state first, then its latest backward passes, oldest cut first."""
        if self._dead:
            self._drop(set(self._dead))
        if len(self.order) <= limit:
            return list(self.order)
        self.overflowed = True
        ranked = sorted(range(len(self.order)), key=lambda i: -self.reached[self.order[i]])
        chosen = sorted(ranked[:limit])
        return [self.order[i] for i in chosen]

    # --- the walk -----------------------------------------------------------------------------------
    def discover(
        self, tensors: list[torch.Tensor], *, roots: bool = False, always: bool = False
    ) -> None:
        """Walk from each tensor through ``grad_fn`` / ``next_functions``, adding what is new
        (``always``: each tensor's own record even past the limit: the program's final state)."""
        functions = self.functions
        for tensor in tensors:
            node = grad_fn(tensor)  # (``tensor_key``, inline: this runs for every named tensor)
            key = ("tensor", id(tensor), 0) if node is None else ("out", id(node), tensor.output_nr)
            record = self._add_tensor(key, tensor, always)
            if record is not None and roots:
                record.is_root = True
            if node is None:
                continue
            if id(node) in functions:  # (what ``_walk`` does first, without its stack)
                self._reach(id(node))
            else:
                self._walk(node)

    def tensor_key(self, tensor: torch.Tensor) -> TensorKey:
        """The key a tensor's node is stored under."""
        node = grad_fn(tensor)
        if node is not None:
            return ("out", id(node), tensor.output_nr)
        return ("tensor", id(tensor), 0)

    def _add_tensor(
        self, key: TensorKey, tensor: torch.Tensor, always: bool = False
    ) -> TensorRecord | None:
        record = self.tensors.get(key)
        if record is not None and key in self._dead:  # another tensor at a freed one's address
            self._drop({key})
            record = None
        if record is None and id(tensor) in self._object_keys:
            record = self._moved(key, tensor)
        if record is not None:
            self._reach(key)
            self._settle_kind(key, record, tensor)
        else:
            if not always and len(self.order) >= self.max_records and self._full():
                return None
            self._reach(key)
            record = self._new_record(key, tensor)
        record.states.note(self.moment, state_of(tensor))
        entry = self.names.named.get(id(tensor))
        if entry is not None:
            names = record.names
            for name in entry.names:
                if name not in names and len(names) < self.max_names:
                    names.append(name)
            record.names_omitted = len(entry.more)
            record.line = record.line or entry.line
        return record

    def _new_record(self, key: TensorKey, tensor: torch.Tensor) -> TensorRecord:
        kind: Literal["leaf", "out", "plain"] = "out" if key[0] == "out" else _kind_of(key, tensor)
        record = TensorRecord(
            ref=(
                holder(tensor, functools.partial(self._mark_dead, key))
                if kind == "plain"
                else (lambda: tensor)
            ),
            kind=kind,
            object_id=id(tensor),
        )
        entry = self.names.named.get(id(tensor))
        if entry is not None and entry.built is not None:
            record.states.entries.append((built_at(entry.line), entry.built))  # the first note
        self.tensors[key] = record
        self._object_keys[id(tensor)] = key
        self.order.append(key)
        if kind == "out":
            node = grad_fn(tensor)  # (``_keep_node``, inline)
            if node is not None and id(node) not in self.functions:
                self._walk(node)
        return record

    def _moved(self, key: TensorKey, tensor: torch.Tensor) -> TensorRecord | None:
        """The record of ``tensor`` made under another key, now moved to ``key``: an in-place
        op gave it a new ``grad_fn``, or ``detach_`` took it out of autograd. It stays one
        node, in its place in the walk order; where it was, the graph links the nodes
        around it directly."""
        old = self._object_keys.get(id(tensor))
        record = None if old is None or old == key else self.tensors.get(old)
        if old is None or record is None or record.ref() is not tensor:
            return None
        del self.tensors[old]
        generation = self.reached.pop(old, None)
        if generation is not None:
            self._in_generation.get(generation, set()).discard(old)
        self.order[self.order.index(old)] = key
        self.tensors[key] = record
        self._object_keys[id(tensor)] = key
        return record

    def _settle_kind(self, key: TensorKey, record: TensorRecord, tensor: torch.Tensor) -> None:
        """Follow a change of flags: a constant that now requires grad is a leaf (held from
        now on), a leaf that no longer does stays a leaf of the passes that used it."""
        kind = _kind_of(key, tensor)
        if kind == record.kind or (kind == "plain" and record.kind == "leaf"):
            return
        if record.kind == "plain":
            record.ref = lambda: tensor
        record.kind = kind
        if kind == "out":
            self._keep_node(grad_fn(tensor))

    def _keep_node(self, node: Node | None) -> None:
        if node is not None and id(node) not in self.functions:
            self._walk(node)

    def _full(self) -> bool:
        """Whether no record can be added: at the limit, with nothing older to let go of."""
        if len(self.order) < self.max_records or self._evict_oldest():
            return False
        self.overflowed = True
        return True

    def _evict_oldest(self) -> bool:
        """Drop the records no pass since the oldest one reached: the oldest iterations of a
        long loop give way to the newest (a node still in use is reached again, and kept),
        all but the first, which stays to compare with (as its backward pass does)."""
        oldest = min(
            (g for g, keys in self._in_generation.items() if keys and g != self.first_pass),
            default=None,
        )
        if oldest is None or oldest >= self.generation:
            return False
        gone = self._in_generation.pop(oldest)
        self.evicted += len(gone)
        self._drop(set(gone))
        self.overflowed = True
        return True

    def _drop(self, gone: set[int | TensorKey]) -> None:
        for key in gone:
            generation = self.reached.pop(key, None)
            if generation is not None:
                self._in_generation.get(generation, set()).discard(key)
            if isinstance(key, int):
                self.functions.pop(key, None)
            else:
                record = self.tensors.pop(key, None)
                self._dead.discard(key)
                if record is not None and self._object_keys.get(record.object_id) == key:
                    del self._object_keys[record.object_id]
        self.order = [key for key in self.order if key not in gone]

    def _walk(self, start: Node) -> None:
        # (``self.order`` is read each time: making room replaces the list)
        functions, tensor_type = self.functions, torch.Tensor
        stack = [start]
        while stack:
            node = stack.pop()
            key = id(node)
            if key in functions:
                self._reach(key)
                continue
            variable = getattr(node, "variable", None)
            if isinstance(variable, tensor_type):  # AccumulateGrad: folded into its leaf
                self._add_tensor(("tensor", id(variable), 0), variable)
                continue
            if len(self.order) >= self.max_records and self._full():
                return
            self._reach(key)
            saved, omitted = read_saved(node, self.max_saved)
            edges = node.next_functions
            functions[key] = FunctionRecord(
                node, type(node).__name__, _inputs(edges), saved, omitted
            )
            self.order.append(key)
            stack.extend(reversed([nxt for nxt, _ in edges if nxt is not None]))


def _inputs(
    edges: tuple[tuple[Node | None, int], ...],
) -> list[tuple[TensorKey | int, int] | None]:
    """Where each input slot of a node comes from (its ``next_functions``)."""
    inputs: list[tuple[TensorKey | int, int] | None] = []
    for nxt, output_nr in edges:
        if nxt is None:
            inputs.append(None)
            continue
        variable = getattr(nxt, "variable", None)
        if isinstance(variable, torch.Tensor):
            inputs.append((("tensor", id(variable), 0), output_nr))
        else:
            inputs.append((id(nxt), output_nr))
    return inputs


def _copies_any(saved: list[SavedRecord]) -> bool:
    """Whether a node saved a tensor to copy (or one PyTorch refused: read again, it may be)."""
    for item in saved:
        if item.tensor is not None or item.error is not None:
            return True
    return False


def _kind_of(key: TensorKey, tensor: torch.Tensor) -> Literal["leaf", "out", "plain"]:
    if key[0] == "out":
        return "out"
    return "leaf" if tensor.requires_grad else "plain"
