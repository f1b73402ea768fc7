"""The hint for a ``NameError``: the nearest name the program could have meant, if any.

The candidates are the caller's: names the sandbox really offers at that place (the builtins
it lets through, ``torch``/``nn``/``F``/``optim``, the program's own variables, functions and
classes). This module only chooses among them, so it never suggests a name that would be
refused or undefined in turn.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from app.hints.hint import Hint

# Where a hint the sandbox made while the program ran rides on the exception it raised: the
# program cannot read the name (``_ag_`` names are refused), and reading it back runs no code.
_HINT_SLOT = "_ag_hint"

# difflib's ratio: 0.75 finds one or two typos in a name (toch -> torch, Linaer -> Linear)
# and not unrelated words; a one-letter name is never "near" anything.
_CUTOFF = 0.75
_MAX_SUGGESTIONS = 3


def near_names(name: str, candidates: Iterable[str]) -> list[str]:
    """The candidates closest to ``name`` (at most three, nearest first), ``name`` itself left out."""
    pool = {c for c in candidates if c != name and not c.startswith("_")}
    if len(name) < 2:
        return []
    close = difflib.get_close_matches(name, sorted(pool), n=_MAX_SUGGESTIONS, cutoff=_CUTOFF)
    if close:
        return close
    # A name spelt in another case (Torch, LEN) is close whatever its ratio.
    return sorted(c for c in pool if c.lower() == name.lower())[:_MAX_SUGGESTIONS]


def name_hint(name: str, candidates: Iterable[str]) -> Hint:
    """The hint for ``NameError: name 'name' is not defined``, in English and Chinese."""
    near = near_names(name, candidates)
    if near:
        listed_en = " or ".join(f"`{n}`" for n in near)
        listed_zh = " 或 ".join(f"`{n}`" for n in near)
        return Hint(
            "name_did_you_mean",
            f"`{name}` is not defined here. Did you mean {listed_en}?",
            f"这里没有定义 `{name}`。你是不是想写 {listed_zh}？",
        )
    return Hint(
        "name_undefined",
        f"`{name}` is not defined here: check its spelling, and assign it (or import it) on a"
        " line that runs before this one. A name made inside a function is not visible outside"
        " it.",
        f"这里没有定义 `{name}`：检查拼写，并在这一行之前先给它赋值（或导入它）。"
        "函数内部定义的名字在函数外面是看不到的。",
    )


def attribute_hint(name: str, readable: Iterable[str]) -> Hint | None:
    """For ``AttributeError: ... has no attribute 'name'``: the readable names nearest to it."""
    near = near_names(name, readable)
    if not near:
        return None
    listed_en = " or ".join(f"`.{n}`" for n in near)
    listed_zh = " 或 ".join(f"`.{n}`" for n in near)
    return Hint(
        "attribute_did_you_mean",
        f"There is no `.{name}` here. Did you mean {listed_en}?",
        f"这里没有 `.{name}`。你是不是想写 {listed_zh}？",
    )


def attach_hint(error: BaseException, hint: Hint | None) -> None:
    """Let ``error`` carry ``hint`` to the answer (``carried_hint``)."""
    if hint is not None:
        setattr(error, _HINT_SLOT, hint)


def carried_hint(error: BaseException) -> Hint | None:
    """The hint ``attach_hint`` gave ``error``, read without running any of the program's code."""
    if type(error) is not AttributeError:  # a program's subclass could compute its attributes
        return None
    hint = vars(error).get(_HINT_SLOT)
    return hint if isinstance(hint, Hint) else None
