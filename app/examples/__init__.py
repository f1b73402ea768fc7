"""The example gallery: one program per `NN_name.py` file in this package, read as text."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

# The example files are data: they are read, never imported, so a program that fails or is
# slow cannot break or stall the import of this package.
_FILE_NAME = re.compile(r"^(?P<order>\d+)_(?P<id>[a-z][a-z0-9_]*)\.py$")
_HEADER_KEYS = ("title", "title_zh", "description", "description_zh")


class ExampleFormatError(ValueError):
    """An example file's name or header does not follow the gallery format."""


@dataclass(frozen=True)
class Example:
    """One gallery program with its English and Chinese title and description."""

    id: str
    title_en: str
    title_zh: str
    description_en: str
    description_zh: str
    code: str


def parse_example(file_name: str, text: str) -> Example:
    """Parse one example file: four `# key: value` header lines, a blank line, then the code."""
    match = _FILE_NAME.match(file_name)
    if match is None:
        raise ExampleFormatError(
            f"example file name {file_name!r} is not like '01_scalar_chain.py'"
        )
    lines = text.splitlines(keepends=True)
    if len(lines) <= len(_HEADER_KEYS) or lines[len(_HEADER_KEYS)].strip():
        raise ExampleFormatError(
            f"{file_name}: expected {len(_HEADER_KEYS)} header lines followed by a blank line"
        )
    values: list[str] = []
    for number, (key, line) in enumerate(zip(_HEADER_KEYS, lines, strict=False), start=1):
        prefix = f"# {key}: "
        value = line.rstrip("\r\n")[len(prefix) :].strip()
        if not line.startswith(prefix) or not value:
            raise ExampleFormatError(f"{file_name} line {number}: expected '{prefix}<text>'")
        values.append(value)
    code = "".join(lines[len(_HEADER_KEYS) + 1 :])
    if not code.strip():
        raise ExampleFormatError(f"{file_name}: no code after the header")
    title_en, title_zh, description_en, description_zh = values
    return Example(
        id=match["id"],
        title_en=title_en,
        title_zh=title_zh,
        description_en=description_en,
        description_zh=description_zh,
        code=code,
    )


@functools.lru_cache(maxsize=1)
def _load_all() -> tuple[Example, ...]:
    """Read and parse every example file once, ordered by the numeric file-name prefix."""
    files = [f for f in resources.files(__package__).iterdir() if _FILE_NAME.match(f.name)]
    files.sort(key=lambda f: (int(f.name.split("_", 1)[0]), f.name))
    examples = tuple(parse_example(f.name, f.read_text(encoding="utf-8")) for f in files)
    ids = [example.id for example in examples]
    duplicates = sorted({example_id for example_id in ids if ids.count(example_id) > 1})
    if duplicates:
        raise ExampleFormatError(f"duplicate example ids: {duplicates}")
    return examples


def load_examples() -> list[Example]:
    """Return all gallery examples in display order."""
    # A fresh list each call, so a caller that mutates it cannot change the cached gallery.
    return list(_load_all())


def get_example(example_id: str) -> Example | None:
    """Return the example with this id, or None if there is none."""
    return next((example for example in _load_all() if example.id == example_id), None)
