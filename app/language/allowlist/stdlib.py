"""The small modules of Python's standard library courses use: collections, copy, time, sys.

- collections: ``OrderedDict`` (``nn.Sequential(OrderedDict([...]))``), ``defaultdict``,
  ``Counter``, ``deque`` (a stand-in: made, extended and grown within the sequence limit);
- copy: ``deepcopy`` of a model or a state dict (tensors copy through the torch mode);
- time: ``time()`` and ``perf_counter()`` for d2l's ``Timer`` (a program that reads the clock
  prints other times each run: it is never answered from the cache);
- re: d2l's text preprocessing (``re.sub('[^A-Za-z]+', ' ', line)``);
- sys: ``platform`` and ``version_info`` only (``sys.path`` serves to import the books'
  helper packages, which are not here);
- typing: the type hints of a program's signatures; string: its letter and digit constants;
- itertools: ``chain`` (``Adam(chain(enc.parameters(), dec.parameters()))``) and ``islice``;
- warnings: ``warnings.filterwarnings("ignore")`` at the top of many notes, ``simplefilter``
  and ``warn``: the filters are the program's own (the run's ``catch_warnings`` puts them
  back), and a warning goes where PyTorch's do (a note if a hint explains it, else nowhere);
  the action ``"error"`` is refused (a warning in the sandbox's own checks must not become
  an exception there).
"""

from __future__ import annotations

import collections
import functools
import importlib
import itertools
import re
import typing
import warnings
from collections.abc import Callable, Iterable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any

from app.hints import sandbox
from app.language.errors import LimitExceeded, SandboxViolation
from app.language.records import (
    Library,
    ModuleRule,
    Reader,
    TypeRule,
    bound,
    given,
    names,
    never_the_same,
)
from app.language.stand_ins import DEQUE

if TYPE_CHECKING:
    from app.language.runtime import Runtime
    from app.language.values import ValueLimits

_MODULES = ("collections", "copy", "time", "sys", "re", "typing", "string", "warnings", "itertools")


def _load(path: str) -> ModuleType | None:
    return importlib.import_module(path) if path in _MODULES else None


# Warning filters a program may have at once: Python adds each in time linear in those there
# (it removes a duplicate first), so 20,000 calls took 5 s; a notebook sets one or two.
MAX_WARNING_FILTERS = 100
# The process's own filters (and the one a run adds), which a program's come on top of.
_PROCESS_FILTERS = len(warnings.filters) + 1


def _warnings_filter(runtime: Runtime) -> Reader:
    """``warnings.filterwarnings(action, ...)`` / ``simplefilter(action, ...)``: Python's own,
    on the run's filters (``evaluate``'s ``catch_warnings`` puts them back), except the action
    ``"error"``: a warning raised as an exception inside the sandbox's own checks is refused."""

    def reader(obj: Any, name: str) -> Callable[..., Any]:
        real = getattr(obj, name)

        def call(action: Any, *args: Any, **kwargs: Any) -> Any:
            if action == "error":
                raise SandboxViolation(
                    "warnings cannot be turned into errors here", sandbox.WARNINGS
                )
            if len(obj.filters) >= _PROCESS_FILTERS + MAX_WARNING_FILTERS:
                raise LimitExceeded(
                    "sequence_length",
                    f"a program may add at most {MAX_WARNING_FILTERS} warning filters",
                )
            return real(action, *args, **kwargs)

        return call

    return reader


def _counted_iterator(runtime: Runtime) -> Reader:
    """``itertools.islice(...)``, whose items are each a step of the program."""
    values = runtime.values

    def reader(obj: Any, name: str) -> Callable[..., Any]:
        make = getattr(obj, name)
        return lambda *args, **kwargs: values.iter(make(*args, **kwargs))

    return reader


class CountedChain:
    """``itertools.chain`` as a program gets it: ``chain(*iterables)`` and
    ``chain.from_iterable(iterables)`` (flattening a list of token lists), whose items are each
    a step of the program."""

    def __init__(self, values: ValueLimits) -> None:
        self._values = values

    def __call__(self, *iterables: Iterable[Any]) -> Iterator[Any]:
        return self._values.iter(itertools.chain(*iterables))

    def from_iterable(self, iterables: Iterable[Iterable[Any]]) -> Iterator[Any]:
        return self._values.iter(itertools.chain.from_iterable(iterables))

    def __repr__(self) -> str:
        return "<class 'itertools.chain'>"

    def __copy__(self) -> CountedChain:  # copied, a class is itself: so is the program's chain
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> CountedChain:
        return self


# Named as the program knows it, as the stand-ins are (its messages, the catalogue's entry).
CountedChain.__module__ = "itertools"
CountedChain.__name__ = CountedChain.__qualname__ = "chain"


def _counted_chain(runtime: Runtime) -> Reader:
    """The program's ``itertools.chain`` (``CountedChain``), made once per program."""
    chain = CountedChain(runtime.values)
    return lambda obj, name: chain


def _reset() -> None:
    # typing keeps every subscripted hint for the process (``List[C]`` holds the program's
    # class C, and through its methods the program's namespace): dropped after each program.
    for clear in getattr(typing, "_cleanups", ()):
        clear()


def regex_sub(sub: Callable[..., Any], limit: int, *args: Any, **kwargs: Any) -> Any:
    """``re.sub`` / ``Pattern.sub`` with a text replacement, whose result is sized first."""
    pattern = getattr(sub, "__self__", None)
    repl, string = (args[1], args[2]) if not isinstance(pattern, re.Pattern) else (args[0], args[1])
    if not isinstance(repl, str) or not isinstance(string, str):
        raise SandboxViolation("re.sub with a replacement that is not text is not available here")
    longest = len(string) + (len(string) + 1) * len(repl)
    if longest > limit:
        raise LimitExceeded(
            "sequence_length",
            f"re.sub could make text of {longest} characters; the limit is {limit}",
        )
    return sub(*args, **kwargs)


def _regex_sub(runtime: Runtime) -> Reader:
    limit = runtime.values.max_text_chars
    return lambda obj, name: functools.partial(regex_sub, getattr(obj, name), limit)


_DICT = names("keys values items get pop popitem update copy setdefault clear fromkeys")

STDLIB = Library(
    name="stdlib",
    modules=(
        # deque is a stand-in that fills through extend's bound (runtime: counted_deque).
        ModuleRule(
            "collections",
            names("OrderedDict defaultdict Counter deque"),
            wrapped={"deque": "deque_type"},
        ),
        ModuleRule("copy", names("deepcopy copy")),
        ModuleRule(
            "time",
            names("time perf_counter monotonic"),
            wrapped={"time": "clock", "perf_counter": "clock", "monotonic": "clock"},
        ),
        ModuleRule("sys", names("platform version_info maxsize")),
        # Type hints in a program's signatures (``-> Tuple[torch.Tensor, float]``).
        ModuleRule(
            "typing",
            names("Any Callable Dict Iterable Iterator List Optional Sequence Set Tuple Union"),
        ),
        # makemore-style character tables: only the constants (``string.Formatter`` reads
        # attributes by name from its format strings).
        ModuleRule(
            "string",
            names("ascii_letters ascii_lowercase ascii_uppercase digits punctuation whitespace"),
        ),
        # One optimizer over two models' parameters. Only the lazy ones: product, permutations
        # and combinations copy their inputs into tuples in C, where nothing sizes them.
        # Each item they give is counted as a loop step (sum, max, any and Counter would take
        # chain(*[xs] * 10**4) in C, where no loop of the program counts it).
        ModuleRule(
            "itertools",
            names("chain islice"),
            wrapped={"chain": "counted_chain", "islice": "counted_iterator"},
        ),
        ModuleRule(
            "warnings",
            names("filterwarnings simplefilter warn"),
            wrapped={"filterwarnings": "warnings_filter", "simplefilter": "warnings_filter"},
        ),
        ModuleRule(
            "re",
            names("sub subn match fullmatch search findall split compile escape"),
            wrapped={"sub": "regex_sub", "subn": "regex_sub"},
        ),
    ),
    types=(
        TypeRule((collections.OrderedDict,), _DICT | names("move_to_end")),
        TypeRule((collections.defaultdict,), _DICT | names("default_factory")),
        TypeRule((collections.Counter,), _DICT | names("most_common elements subtract total")),
        TypeRule(
            (re.Pattern,),
            names("sub subn match fullmatch search findall split pattern"),
            wrapped={"sub": "regex_sub", "subn": "regex_sub"},
        ),
        TypeRule((re.Match,), names("group groups span start end")),
        TypeRule((CountedChain,), names("from_iterable")),
        TypeRule(
            (collections.deque,),
            names("append appendleft pop popleft extend extendleft rotate clear maxlen count"),
            # bounded as list.extend is (a deque's +=, * and *= go through the operators' bounds)
            wrapped={"extend": "list_extend", "extendleft": "deque_extendleft"},
        ),
    ),
    load=_load,
    reset=_reset,
    readers={
        "counted_iterator": _counted_iterator,
        "counted_chain": _counted_chain,
        "warnings_filter": _warnings_filter,
        "deque_type": given(DEQUE),
        "deque_extendleft": bound(lambda runtime: runtime.values.deque_extendleft),
        "clock": never_the_same,  # other times each run
        "regex_sub": _regex_sub,
    },
    refused={"sys.path": sandbox.D2L, "sys.argv": sandbox.UNUSED_IMPORT},
)
