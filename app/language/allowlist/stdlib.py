"""The small modules of Python's standard library courses use: collections, copy, time, sys.

- collections: ``OrderedDict`` (``nn.Sequential(OrderedDict([...]))``), ``defaultdict``,
  ``Counter``, ``deque`` (a stand-in: made, extended and grown within the sequence limit);
- copy: ``deepcopy`` of a model or a state dict (tensors copy through the torch mode);
- time: ``time()`` and ``perf_counter()`` for d2l's ``Timer`` (a program that reads the clock
  prints other times each run: it is never answered from the cache);
- re: d2l's text preprocessing (``re.sub('[^A-Za-z]+', ' ', line)``);
- sys: ``platform`` and ``version_info`` only (``sys.path`` serves to import the books'
  helper packages, which are not here);
- warnings: ``warnings.filterwarnings("ignore")`` at the top of many notes, ``simplefilter``
  and ``warn``: the filters are the program's own (the run's ``catch_warnings`` puts them
  back), and a warning goes where PyTorch's do (a note if a hint explains it, else nowhere).
"""

from __future__ import annotations

import collections
import functools
import importlib
import re
from collections.abc import Callable
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

_MODULES = ("collections", "copy", "time", "sys", "re", "warnings")


def _load(path: str) -> ModuleType | None:
    return importlib.import_module(path) if path in _MODULES else None


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
        ModuleRule("warnings", names("filterwarnings simplefilter warn")),
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
        TypeRule(
            (collections.deque,),
            names("append appendleft pop popleft extend extendleft rotate clear maxlen count"),
            # bounded as list.extend is (a deque's +=, * and *= go through the operators' bounds)
            wrapped={"extend": "list_extend", "extendleft": "deque_extendleft"},
        ),
    ),
    load=_load,
    readers={
        "deque_type": given(DEQUE),
        "deque_extendleft": bound(lambda runtime: runtime.values.deque_extendleft),
        "clock": never_the_same,  # other times each run
        "regex_sub": _regex_sub,
    },
    refused={"sys.path": sandbox.D2L, "sys.argv": sandbox.UNUSED_IMPORT},
)
