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
