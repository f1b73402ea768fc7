"""What a program gets for each name the allowlist's records mark ``wrapped``.

A reader is called with the object the name was read on and the name, and returns what the
program sees instead of the library's own object: a function that checks sizes before it
runs (``math.factorial``, ``random.choices``), that notes a seed or a draw from fresh entropy
(``torch.manual_seed``, ``Generator.seed``), or a stand-in class (``torch.Tensor``,
``DataLoader``). Each library's record holds its own readers (``Library.readers``); here they
are made for one program.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.language.allowlist import ALLOWLIST
from app.language.records import Reader

if TYPE_CHECKING:
    from app.language.runtime import Runtime


def readers(runtime: Runtime) -> dict[str, Reader]:
    """The readers of one program's runtime, by the name the records use."""
    return {
        name: factory(runtime)
        for library in ALLOWLIST.libraries
        for name, factory in library.readers.items()
    }
