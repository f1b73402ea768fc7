"""The corpus figures: run every program here and in plain PyTorch, print one line each and a
summary (``python -m tests.corpus.report [substring]``)."""

from __future__ import annotations

import sys
import traceback
from collections import Counter

from tests.corpus.programs import load_corpus
from tests.corpus.test_corpus import KNOWN_GAPS, compare, test_refused_with_a_hint


def main(selected: str = "") -> int:
    """Print each program's outcome and the share that matches; 0 if the target is met."""
    outcomes: Counter[str] = Counter()
    for program in load_corpus():
        if selected not in program.id:
            continue
        check = compare if program.expect == "match" else test_refused_with_a_hint
        try:
            check(program)
            outcome, why = "ok", ""
        except Exception as exc:  # noqa: BLE001 - any failure is reported
            outcome = "known gap" if program.id in KNOWN_GAPS else "FAIL"
            why = _reason(exc)
        outcomes[f"{program.expect}: {outcome}"] += 1
        print(f"{outcome:9} {program.expect:7} {program.id:50} {why}")
    matched = outcomes["match: ok"]
    total = sum(n for key, n in outcomes.items() if key.startswith("match"))
    print(f"\nmatch: {matched}/{total} ({matched / max(total, 1):.1%})", dict(outcomes))
    return 0 if total and matched / total >= 0.95 else 1


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{first[:150]}  [{where.name}:{where.lineno}]"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
