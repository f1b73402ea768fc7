"""A hint: what a student should do next, in English and Chinese."""

from __future__ import annotations

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
