"""What a program gets for each name the allowlist's records mark ``wrapped``.

A reader is called with the object the name was read on and the name, and returns what the
program sees instead of the library's own object: a function that checks sizes before it
runs (``math.factorial``, ``random.choices``), that notes a seed or a draw from fresh entropy
(``torch.manual_seed``, ``Generator.seed``), or a stand-in class (``torch.Tensor``,
``DataLoader``). Each library's record holds its own readers (``Library.readers``); here they
are made for one program, each the first time the program reads a name it wraps (most
programs read few of them: making all fifty for every program cost 0.05 ms).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.language.allowlist import ALLOWLIST
from app.language.records import Reader, ReaderFactory

if TYPE_CHECKING:
    from app.language.runtime import Runtime

# Every library's reader factories, by the name the records use (made once per process).
_FACTORIES: dict[str, ReaderFactory] = {
    name: factory for library in ALLOWLIST.libraries for name, factory in library.readers.items()
}


class Readers(dict[str, Reader]):
    """The readers of one program's runtime, by the name the records use, each made from
    the runtime the first time it is asked for."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.runtime = runtime

    def __missing__(self, name: str) -> Reader:
        reader = self[name] = _FACTORIES[name](self.runtime)
        return reader


def readers(runtime: Runtime) -> Readers:
    """The readers of one program's runtime."""
    return Readers(runtime)
