"""The allowlist: everything a program may import, name, read, set and call, one record per library.

Anything not listed is refused. Each library has one file here (``torch.py``, ``nn.py``,
``optim.py``, ``builtins.py``, ...), each a ``Library`` record (``app/language/records.py``). The checks
(``check.py``), the runtime's attribute guard (``attributes.py``), the torch mode's sizing
(``result_size.py``) and the determinism check (``randomness.py``) read these records and
nothing else: adding a library is one new file here, listed in ``LIBRARIES``, plus its tests.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Iterable, Iterator
from types import ModuleType

from app.hints.hint import Hint
from app.language.allowlist.builtins import BUILTINS
from app.language.allowlist.math import MATH
from app.language.allowlist.matplotlib import PLOTTING
from app.language.allowlist.nn import NN
from app.language.allowlist.numpy import NUMPY
from app.language.allowlist.optim import OPTIM
from app.language.allowlist.outside import OUTSIDE
from app.language.allowlist.random import RANDOM
from app.language.allowlist.stdlib import STDLIB
from app.language.allowlist.torch import TORCH
from app.language.allowlist.utils_data import UTILS_DATA
from app.language.records import Library, ModuleRule, Names, RandomSource, TypeRule

LIBRARIES: tuple[Library, ...] = (
    TORCH,
    NN,
    OPTIM,
    UTILS_DATA,
    NUMPY,
    MATH,
    RANDOM,
    STDLIB,
    PLOTTING,
    BUILTINS,
    OUTSIDE,
)


class Allowlist:
    """The records of all libraries, indexed for the lookups the checks and the runtime make."""

    def __init__(self, libraries: tuple[Library, ...]) -> None:
        self.libraries = libraries
        self.modules: dict[str, ModuleRule] = {}
        self._library_of: dict[str, Library] = {}
        for library in libraries:
            for rule in library.modules:
                self.modules[rule.path] = rule
                self._library_of[rule.path] = library
        self._by_module: dict[int, ModuleRule] | None = None
        # Weak: a program's classes are looked up too, and must not outlive the program.
        self._by_type: weakref.WeakKeyDictionary[type, TypeRule | None] = (
            weakref.WeakKeyDictionary()
        )

    @property
    def importable(self) -> frozenset[str]:
        """Module paths a program may import."""
        return frozenset(self.modules)

    def names_of(self, path: str) -> Names:
        """The names a program may read on the module ``path`` (none if it is not listed)."""
        rule = self.modules.get(path)
        return rule.names if rule is not None else frozenset()

    def load(self, path: str) -> ModuleType | None:
        """The module object a program gets for ``import path`` (None if not listed)."""
        library = self._library_of.get(path)
        return library.load(path) if library is not None else None

    def module_rule(self, module: ModuleType) -> ModuleRule | None:
        """The rule for a module object a program holds (by identity, not by its name)."""
        if self._by_module is None:
            self._by_module = {}
            for path, rule in self.modules.items():
                loaded = self.load(path)
                if loaded is not None:
                    self._by_module[id(loaded)] = rule
        return self._by_module.get(id(module))

    def type_rule(self, kind: type) -> TypeRule | None:
        """The rule for objects of ``kind``: the first class in its MRO that has one, else the
        first rule whose types ``kind`` is registered under."""
        try:
            return self._by_type[kind]
        except KeyError:
            pass
        found = None
        for base in kind.__mro__:
            found = next((rule for rule in self._type_rules() if base in rule.types), None)
            if found is not None:
                break
        else:  # classes registered with an ABC (autograd nodes are torch.autograd.graph.Node's)
            found = next(
                (rule for rule in self._type_rules() if issubclass(kind, rule.types)), None
            )
        self._by_type[kind] = found
        return found

    def is_listed(self, kind: type) -> bool:
        """Whether the class ``kind`` (or a class it derives from) is a name a module's record
        lists: a class a program may call (``nn.Linear``, ``optim.SGD``...)."""
        return any(base in self._listed_classes for base in kind.__mro__)

    @functools.cached_property
    def _listed_classes(self) -> frozenset[type]:
        classes: set[type] = set()
        for path, rule in self.modules.items():
            module = self.load(path)
            for name in rule.names if module is not None else ():
                value = getattr(module, name, None)
                if isinstance(value, type) and name not in rule.wrapped:
                    classes.add(value)
        return frozenset(classes)

    def _type_rules(self) -> Iterator[TypeRule]:
        for library in self.libraries:
            yield from library.types

    def refusal(self, path: str) -> Hint | None:
        """What to tell a student who reaches for ``path`` (``"os.path"``, ``"numpy.load"``):
        the hint of the longest listed prefix, or None."""
        parts = path.split(".")
        for end in range(len(parts), 0, -1):
            hint = self._refused.get(".".join(parts[:end]))
            if hint is not None:
                return hint
        return None

    @functools.cached_property
    def _refused(self) -> dict[str, Hint]:
        return {path: hint for lib in self.libraries for path, hint in lib.refused.items()}

    def reset(self, used: Iterable[str] = ()) -> None:
        """Put back the global settings of torch and of the libraries in ``used`` (only what a
        program imported can have been changed by it)."""
        for library in self.libraries:
            if library.name == "torch" or library.name in used:
                library.reset()

    def library_of(self, path: str) -> str | None:
        """The name of the library whose record lists the module ``path``."""
        library = self._library_of.get(path)
        return library.name if library is not None else None

    @functools.cached_property
    def random_sources(self) -> tuple[RandomSource, ...]:
        """The generators the determinism check watches."""
        return tuple(lib.random for lib in self.libraries if lib.random is not None)


ALLOWLIST = Allowlist(LIBRARIES)
