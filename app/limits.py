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
    max_stdout_chars: int = 20_000
    max_graph_nodes: int = 6_000
    max_preview_elements: int = 100
    max_backward_passes: int = 20


DEFAULT_LIMITS = Limits()
