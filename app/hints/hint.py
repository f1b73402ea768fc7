"""A hint: what a student should do next, in English and Chinese."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Hint:
    """A hint: `key` is a stable identifier clients may rely on; `en`/`zh` are display text."""

    key: str
    en: str
    zh: str

    def to_dict(self) -> dict[str, str]:
        """The hint as the API sends it."""
        return {"key": self.key, "en": self.en, "zh": self.zh}


@dataclass(frozen=True)
class Rule:
    """A hint for exceptions of these types whose message matches ``pattern``."""

    types: tuple[type[BaseException], ...]
    pattern: re.Pattern[str]
    hint: Hint


def rule(
    key: str,
    types: type[BaseException] | tuple[type[BaseException], ...],
    pattern: str,
    en: str,
    zh: str,
) -> Rule:
    """A ``Rule`` from its parts (``pattern`` a regex over ``str(exc)``)."""
    types = types if isinstance(types, tuple) else (types,)
    return Rule(types, re.compile(pattern), Hint(key, en, zh))
