"""The limits one evaluation runs under: plain data, documented in docs/security.md."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Language-level limits enforced inside the runtime (OS limits live with the worker pool)."""

    max_code_chars: int = 20_000
    max_ast_nodes: int = 20_000
    max_ast_depth: int = 100
    max_tensor_elements: int = 1_000_000
    max_live_elements: int = 20_000_000
    max_loop_iterations: int = 100_000
    max_call_depth: int = 50
    max_sequence_length: int = 100_000
    max_int_bits: int = 4_096
    max_nesting_depth: int = 1_000  # of a tuple the program hashes (``app/language/nesting.py``)
    max_stdout_chars: int = 20_000
    # Above 20,000 nodes: a 10,000-op chain (20,001 nodes) and a loss or two come back whole.
    max_graph_nodes: int = 21_000
    # The rest of a graph's size: past any of these the graph comes back cut, ``truncated``,
    # with counts of what was left out (``omitted``), never refused.
    max_graph_edges: int = 42_000  # two a node
    max_parallel_edges: int = 16  # between one pair of nodes (``torch.cat([x] * 1000)``)
    max_saved_per_node: int = 32
    max_names_per_node: int = 32  # and at most ``max_graph_nodes`` variables in all
    max_label_chars: int = 200  # a label, a name or a variable
    max_value_dims: int = 32  # deeper tensors are shown by shape and dtype, not printed
    # The graph's JSON: a 20,000-node chain of scalars takes about 17 MB (1 MB gzipped).
    max_graph_bytes: int = 32 * 2**20
    max_preview_elements: int = 100
    max_backward_passes: int = 20


DEFAULT_LIMITS = Limits()
