"""Issue 5's targets as data: what is measured, against which threshold; one table renders them."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.big_graphs import BigResult
from bench.browser import frames_summary
from bench.measure import CACHED, NO_CACHE, UNCACHED
from bench.results import Results
from bench.stats import Summary, percentile, section, table

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">=": operator.ge, "==": operator.eq,
}  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """What a run measured for one target.

    ``values``: each must meet the threshold (none: not measured, ``detail`` says why);
    ``counted`` names them when the row should say how many did; ``holds``: any other
    condition of the target (no errors, a clean run).
    """

    values: list[float] = field(default_factory=list)
    detail: str = "-"
    counted: str = ""
    holds: bool = True


@dataclass(frozen=True)
class Target:
    """One target: the figure that ``measured`` takes from a run, compared with ``threshold``."""

    name: str
    measured: Callable[[Results], Figure]
    comparison: str
    threshold: float
    unit: str
    note: str = ""  # a further condition or reading, after a comma
    context: bool = False  # shown beside the targets, not one of them

    @property
    def label(self) -> str:
        """The target as one line, e.g. ``cold start to ready <= 5 s``."""
        note = f", {self.note}" if self.note else ""
        return f"{self.name} {self.comparison} {self.threshold:,g}{self.unit}{note}"

    def row(self, results: Results) -> list[str]:
        """``[target, measured, verdict]``."""
        figure = self.measured(results)
        met = [_COMPARE[self.comparison](value, self.threshold) for value in figure.values]
        detail = figure.detail
        if figure.counted:
            detail = f"{sum(met)}/{len(met)} {figure.counted}; {detail}"
        if not figure.values:
            verdict = "not measured"
        elif self.context:
            verdict = "context"
        else:
            verdict = "met" if all(met) and figure.holds else "**not met**"
        return [self.label, detail, verdict]


# --- what is measured ----------------------------------------------------------------------


def _gallery_ratio(reference: str, digits: int) -> Callable[[Results], Figure]:
    """Each example's no-cache p50 over its p50 of ``reference`` (an ExampleResult field)."""

    def measured(results: Results) -> Figure:
        ratios = [
            Summary.of(e.nocache).p50 / Summary.of(getattr(e, reference)).p50
            for e in results.examples
        ]
        spread = (
            f"{min(ratios):.{digits}f}x to {max(ratios):.{digits}f}x"
            f" (median {percentile(ratios, 50):.{digits}f}x)"
        )
        return Figure(ratios, spread, counted="examples")

    return measured


def _cached_p50(results: Results) -> Figure:
    cached = [Summary.of(e.cached).p50 for e in results.examples]
    return Figure(cached, f"p50 {min(cached):.2f} to {max(cached):.2f} ms over the gallery")


def _cache_checks_failed(results: Results) -> Figure:
    failed = sum(not ok for _, ok, _ in results.cache_checks)
    return Figure([failed], "; ".join(detail for _, _, detail in results.cache_checks[:1]))


def _throughput(mode: str) -> Callable[[Results], Figure]:
    """Requests per second of the 32-client run in ``mode``; it must have no error."""

    def measured(results: Results) -> Figure:
        runs = {r.mode: r for r in results.throughput if r.clients == 32}
        run = runs.get(mode)
        if run is None:
            return Figure()
        detail = f"{run.rate:,.0f} req/s, {run.errors} errors"
        if mode == NO_CACHE and UNCACHED in runs:
            rate = runs[UNCACHED].rate
            detail += f" (`# run N` texts, where the SVG cache can answer: {rate:,.0f} req/s)"
        return Figure([run.rate], detail, holds=run.errors == 0)

    return measured


def _drawn(family: str, size: int) -> Callable[[Results], Figure]:
    """Seconds end to end for a scaling program; every run clean, the whole graph returned."""

    def measured(results: Results) -> Figure:
        result = next((r for r in results.scaling if (r.family, r.size) == (family, size)), None)
        if result is None:
            return Figure(detail="not in this run (--quick?)")
        e2e = Summary.of(result.e2e_ms).p50 / 1000
        if not result.clean:
            failures = ", ".join(f"{n}x {label}" for label, n in result.outcomes.most_common())
            detail = f"runs: {failures}; p50 of the clean ones {e2e:.2f} s"
        elif result.truncated:
            detail = f"truncated to {result.nodes:,} nodes, answered in {e2e:.2f} s"
            if result.full_layout_ms is not None:
                detail += (
                    f"; the whole graph's layout alone takes {result.full_layout_ms / 1000:.1f} s"
                )
        else:
            detail = f"{result.nodes:,} nodes in {e2e:.2f} s"
        return Figure([e2e], detail, holds=result.clean and not result.truncated)

    return measured


def _truncated(results: Results) -> Figure:
    """Seconds end to end for the 11,000-op chain (22,001 nodes, over the node limit); it must
    come back truncated, every run."""
    big = _big(results, "chain 11,000 ops")
    if big is None or not big.e2e_ms:
        return Figure(detail="not measured" if big is None else f"runs: {dict(big.outcomes)}")
    e2e = Summary.of(big.e2e_ms).p50 / 1000
    detail = f"runs: {dict(big.outcomes)}; {big.nodes:,} nodes, p50 {e2e:.2f} s"
    return Figure([e2e], detail, holds=big.truncated and big.clean)


def _big(results: Results, prefix: str) -> BigResult | None:
    return next((r for r in results.big if r.name.startswith(prefix)), None)


def _whole_chain(what: str) -> Callable[[Results], Figure]:
    """For each 10,000-op chain (``what``: ``"s"`` end to end, ``"MB"`` on the wire, gzip):
    the worst run; each must come back whole (not truncated), drawn, every run."""

    def measured(results: Results) -> Figure:
        chains = [r for r in results.big if r.name.startswith("chain 10,000 ops")]
        if not chains:
            return Figure(detail="not measured")
        values, parts = [], []
        for result in chains:
            if not result.e2e_ms:
                parts.append(f"{result.name}: runs {dict(result.outcomes)}")
                continue
            worst = max(result.e2e_ms) / 1000 if what == "s" else max(result.wire_bytes) / 10**6
            values.append(worst)
            whole = "truncated" if result.truncated else "whole"
            parts.append(f"{result.name}: {result.nodes:,} nodes {whole}, max {worst:.2f} {what}")
        holds = all(r.clean and not r.truncated for r in chains)
        return Figure(values, "; ".join(parts), holds=holds)

    return measured


def _plain_ratio(prefix: str) -> Callable[[Results], Figure]:
    """The program of ``BIG_PROGRAMS`` named ``prefix...``, end to end (p50) over plain
    PyTorch running it (p50)."""

    def measured(results: Results) -> Figure:
        loop = _big(results, prefix)
        if loop is None or not loop.e2e_ms or not loop.plain_ms:
            return Figure(detail="not measured" if loop is None else f"runs: {dict(loop.outcomes)}")
        served, plain = Summary.of(loop.e2e_ms).p50, Summary.of(loop.plain_ms).p50
        detail = (
            f"{served:,.0f} ms end to end, plain PyTorch {plain:,.0f} ms ({loop.nodes:,} nodes)"
        )
        return Figure([served / plain], detail, holds=loop.clean)

    return measured


def _first_picture(results: Results) -> Figure:
    """Seconds from the response to the drawn SVG, for the program slowest to draw."""
    browser = results.browser
    if not browser.measured:
        return Figure(detail=browser.note)
    worst = max(browser.samples, key=lambda s: Summary.of(s.response_to_svg).p50)
    after = Summary.of(worst.response_to_svg)
    detail = (
        f"{worst.program}: {worst.nodes:,} nodes drawn, p50 {after.p50 / 1000:.2f} s,"
        f" max {after.max / 1000:.2f} s"
    )
    return Figure([after.max / 1000], detail, holds=worst.nodes >= 5000)


def _frames_p95(results: Results) -> Figure:
    browser = results.browser
    if not browser.frames:
        return Figure(detail=browser.note or "not measured")
    detail = f"{browser.frames_program}: {frames_summary(browser.frames)}"
    return Figure([Summary.of(browser.frames).p95], detail)


def _large_first_picture(results: Results) -> Figure:
    """Seconds from the 20,000-node answer's arrival to its first painted picture (the worst run)."""
    large = results.large_drawing
    if not large.measured:
        return Figure(detail=large.note or "not measured")
    after = Summary.of(large.response_to_picture)
    interactive = Summary.of(large.response_to_svg)
    detail = (
        f"chain of 10,000 ops: {large.nodes:,} nodes drawn, p50 {after.p50 / 1000:.2f} s,"
        f" max {after.max / 1000:.2f} s; interactive SVG p50 {interactive.p50 / 1000:.2f} s"
        f" (answer recorded from {large.source})"
    )
    return Figure([after.max / 1000], detail, holds=large.nodes >= 20_000)


def _large_frames_p95(results: Results) -> Figure:
    large = results.large_drawing
    if not large.frames:
        return Figure(detail=large.note or "not measured")
    return Figure(
        [Summary.of(large.frames).p95], f"{large.nodes:,} nodes: {frames_summary(large.frames)}"
    )


def _folded_first_picture(results: Results) -> Figure:
    """Milliseconds from the 20-layer MLP's answer to its folded drawing, painted (the worst run)."""
    folded = results.folded_picture
    if not folded.measured:
        return Figure(detail=folded.note or "not measured")
    after = Summary.of(folded.response_to_picture)
    detail = (
        f"gallery `twenty_layer_mlp`, folded to {folded.nodes} boxes: p50 {after.p50:,.0f} ms,"
        f" max {after.max:,.0f} ms ({after.n} runs)"
    )
    return Figure([after.max], detail)


def _cold_start(results: Results) -> Figure:
    cold = Summary.of(results.cold_starts)
    detail = f"p50 {cold.p50:.2f} s, max {cold.max:.2f} s ({cold.n} starts)"
    return Figure(results.cold_starts, detail)


def _idle_worker_mb(results: Results) -> Figure:
    """Private memory (USS) of each idle worker, just started or after the whole benchmark."""
    fresh = [w.uss_mb for s in results.memory if s.when.startswith("idle") for w in s.workers]
    used = [w.uss_mb for s in results.memory if not s.when.startswith("idle") for w in s.workers]
    if not fresh + used:
        return Figure()
    detail = (
        f"USS {min(fresh, default=0):.0f} to {max(fresh, default=0):.0f} MiB just started,"
        f" {min(used, default=0):.0f} to {max(used, default=0):.0f} MiB after the benchmark"
        " (torch's pages are shared with the zygote, which forks them)"
    )
    return Figure([mib * 2**20 / 10**6 for mib in fresh + used], detail)


_GALLERY = "gallery, warm, uncached: p50"
# Each: name, what is measured, comparison, threshold, unit; a further condition or reading.
TARGETS: tuple[Target, ...] = (
    Target(_GALLERY, _gallery_ratio("peer", 2), "<=", 0.6, "x torchviz make_dot + SVG"),
    Target(_GALLERY, _gallery_ratio("floor", 1), "<=", 10, "x the plain PyTorch floor"),
    Target(f"(for context, not a target of the issue) {_GALLERY}",
           _gallery_ratio("floor_single", 1), "<=", 10, "x the one-run floor", context=True),
    Target("repeated program from the cache: p50", _cached_p50, "<", 2, " ms"),
    Target("never a stale graph: cache checks of (b) failed", _cache_checks_failed, "==", 0, ""),
    Target(f"32 clients, {NO_CACHE}:", _throughput(NO_CACHE), ">=", 150, " req/s",
           note="0 errors"),
    Target(f"32 clients, {CACHED}:", _throughput(CACHED), ">=", 1500, " req/s", note="0 errors"),
    Target("5,000-node chain drawn end to end in", _drawn("chain", 2500), "<=", 1, " s"),
    Target("1,500-node MLP drawn end to end in", _drawn("mlp", 300), "<=", 1, " s"),
    Target("5,000-node MLP drawn end to end in", _drawn("mlp", 1000), "<=", 3, " s"),
    Target("graph over the 21,000-node limit (11,000-op chain) returns truncated quickly, taken"
           " as", _truncated, "<=", 2, " s", note="no time-out"),
    Target("10,000-op chain (20,001 nodes) whole, end to end with DOT and SVG", _whole_chain("s"),
           "<=", 2, " s", note="issue 15; both the y * 1.001 and the torch.sin chain"),
    Target("10,000-op chain whole: the answer on the wire (gzip)", _whole_chain("MB"), "<=", 6,
           " MB", note="issue 15"),
    Target("2,000-iteration loop (polynomial fit) end to end", _plain_ratio("polynomial fit"),
           "<=", 3, "x plain PyTorch", note="issue 15"),
    Target("(for context, not a target of an issue) a course's CNN training loop (LeNet, 12"
           " passes) end to end", _plain_ratio("CNN training loop"), "<=", 10, "x plain PyTorch",
           context=True),
    Target("browser: first picture of a 5,000-node graph", _first_picture, "<=", 1.5,
           " s after the response"),
    Target("browser: 5,000-node graph pans and zooms smoothly, taken as p95 frame interval",
           _frames_p95, "<=", 34, " ms", note="so at most one dropped frame at 60 Hz"),
    Target("browser: first picture of a 20,000-node graph", _large_first_picture, "<=", 1.5,
           " s after the answer"),
    Target("browser: 20,000-node graph pans and zooms, p95 frame interval", _large_frames_p95,
           "<=", 20, " ms", note="once its SVG is in and the page idle"),
    Target("browser: the 20-layer MLP's folded first picture", _folded_first_picture, "<=", 300,
           " ms after the answer", note="issue 15"),
    Target("cold start to ready", _cold_start, "<=", 5, " s"),
    Target("each idle worker", _idle_worker_mb, "<=", 150, " MB private memory"),
)  # fmt: skip


def render_targets(results: Results) -> str:
    """Issue 5, point 2: each target with the measured figure."""
    rows = [target.row(results) for target in TARGETS]
    return section("## Targets (issue 5, point 2)", table("target | measured | verdict", rows))
