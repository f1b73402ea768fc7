"""The course-program corpus: programs we wrote in the style of the courses students take.

Each file under ``programs/<source>/`` starts with a header:

    # title: <what the program shows>
    # expect: match                 (runs here exactly as in plain PyTorch)
    # expect: refused (<why>)       (needs files, the network, a GPU or a package we do not
                                     have: refused, or failing as plain PyTorch fails, with a hint)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PROGRAMS_DIR = Path(__file__).parent / "programs"
_HEADER = re.compile(r"^# (title|expect): (.*)$")


@dataclass(frozen=True)
class CorpusProgram:
    """One program of the corpus."""

    id: str  # "<source>/<file stem>"
    source: str  # tutorials, d2l, dive, karpathy, notes
    title: str
    expect: str  # "match" or "refused"
    reason: str  # why it is refused (files, network, gpu, package); "" for match
    code: str


def load_corpus() -> list[CorpusProgram]:
    """Every program of the corpus, in a stable order."""
    programs = []
    for path in sorted(PROGRAMS_DIR.glob("*/*.py")):
        code = path.read_text(encoding="utf-8")
        header = {}
        for line in code.splitlines()[:3]:
            found = _HEADER.match(line)
            if found:
                header[found.group(1)] = found.group(2).strip()
        expect = header.get("expect", "")
        refused = re.fullmatch(r"refused \((\w+)\)", expect)
        if expect != "match" and refused is None:
            raise ValueError(f"{path}: header must say 'expect: match' or 'expect: refused (...)'")
        programs.append(
            CorpusProgram(
                id=f"{path.parent.name}/{path.stem}",
                source=path.parent.name,
                title=header.get("title", path.stem),
                expect="match" if refused is None else "refused",
                reason=refused.group(1) if refused is not None else "",
                code=code,
            )
        )
    return programs
