"""The benchmark: start the real server, measure it, stop it, write docs/benchmarks.md.

    .venv/bin/python -m bench.run [--quick]      (or: make bench)

Sections follow issue 5: (a) gallery latency uncached beside plain PyTorch and torchviz,
(b) the same from the cache, (c) throughput, (d) scaling, (e) cold start and memory, then
the targets. All traffic goes to a server this script starts on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import tempfile
import time
import warnings
from pathlib import Path

from bench.big_graphs import measure_big
from bench.browser import measure_browser
from bench.folded_picture import measure_folded_picture
from bench.large_drawing import measure_large_drawing
from bench.markdown import render
from bench.measure import (
    check_cache,
    measure_full_layouts,
    measure_gallery,
    measure_in_process,
    measure_scaling,
    measure_throughput,
    run_experiments,
    snapshot_memory,
)
from bench.programs import gallery, mlp, tensor_mlp
from bench.report import DOC_PATH, CpuMeter, progress, write_block
from bench.results import FULL, QUICK, Results
from tools import live_server

# The playground draws these; the last (the largest graph the server returns) is panned and zoomed.
# The 5,000-node one is an MLP of tensors: the playground opens the nn.Module MLP folded by
# module (a few boxes), now that all its 2,001 modules are named.
BROWSER_PROGRAMS = [
    ("gallery `mlp_module`", next(p.code for p in gallery() if p.name == "mlp_module")),
    ("MLP depth 300 (1,504 nodes, opens folded)", mlp(300)),
    ("MLP of tensors, depth 833 (5,002 nodes)", tensor_mlp(833)),
]


def main(argv: list[str] | None = None) -> int:
    """Run every section and write the block of docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (about 2 minutes)")
    parser.add_argument("--output", type=Path, default=DOC_PATH, help="markdown file to update")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    results = Results(plan=QUICK if args.quick else FULL, meter=CpuMeter())
    programs = gallery()
    runs = itertools.count(1)
    measure_in_process(results, programs)

    with tempfile.TemporaryDirectory(prefix="agv-bench-") as scratch:
        server = live_server.start(log_path=Path(scratch) / "server.log")
        try:
            results.cold_starts.append(server.cold_start_s)
            results.memory.append(snapshot_memory(server, "idle, just started"))

            async def over_http() -> None:
                await measure_gallery(server, results, programs, runs)
                await check_cache(server, results, runs)
                await measure_throughput(server, results, programs, runs)
                await measure_scaling(server, results, runs)
                results.big = await measure_big(server.port, results.plan.scaling_repeats, runs)

            asyncio.run(over_http())
            results.browser = measure_browser(server.url, BROWSER_PROGRAMS, frames_index=2)
            results.large_drawing = measure_large_drawing(server.url)
            results.folded_picture = measure_folded_picture(server.url)
            time.sleep(1.0)
            results.memory.append(snapshot_memory(server, "after the benchmark"))
        finally:
            live_server.stop(server)
        for index in range(results.plan.cold_starts - 1):
            again = live_server.start(log_path=Path(scratch) / f"cold-{index}.log")
            try:
                results.cold_starts.append(again.cold_start_s)
                results.memory.append(snapshot_memory(again, f"idle, start {index + 2}"))
            finally:
                live_server.stop(again)
        if results.plan.experiments:
            run_experiments(results, programs, runs, Path(scratch))
    if results.plan.full_layouts:
        measure_full_layouts(results)
    write_block("bench/run.py", render(results, server.env), args.output)
    progress(f"wrote {args.output} in {time.perf_counter() - results.started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
