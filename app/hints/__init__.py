"""Plain-language hints, in English and Chinese: for PyTorch's own errors (``pytorch.py``) and
for what the sandbox refuses (``sandbox.py``)."""

from app.hints.hint import Hint
from app.hints.pytorch import hint_for

__all__ = ["Hint", "hint_for"]
