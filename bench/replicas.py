"""Two replicas behind Debian's nginx on loopback, one killed and restarted under load
(issue 16, point 5): every request answered, no 5xx seen by the clients.

    .venv/bin/python -m bench.replicas                 (40 s of load; writes docs/benchmarks.md)
    .venv/bin/python -m bench.replicas --short --output /tmp/r.md --json /tmp/r.json
                                                       (20 s; what tests/deploy runs)

Starts two servers (``python -m app.serve``, one worker each) and nginx as this user with a
configuration, pid file, logs and temporary files in a scratch directory (no system service,
everything on 127.0.0.1). The clients of ``bench/load.py`` send gallery programs through nginx;
a third of the way in, the first replica and every process it started are SIGKILLed, as when a
machine or container dies, and it is started again on the same port; once it is back, a few
programs are sent one at a time, so the restarted replica is seen serving again. nginx sends what the dead
replica cannot answer to the other (``proxy_next_upstream``) and leaves the dead one out for
``fail_timeout`` after ``max_fails`` failures. Not a timed test: it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.client import GRAPH, HttpConnection
from bench.load import GALLERY, LoadResult, Outcome, run_clients, summary
from bench.programs import gallery, with_run_comment
from bench.report import DOC_PATH, CpuMeter, machine_table, progress, write_block
from bench.stats import section, table
from tools import live_server
from tools.live_server import HOST, NO_RATE_LIMIT, LiveServer, free_port

NGINX = "/usr/sbin/nginx"
# One worker and one drawing process per replica: two replicas fit a 2-core machine. nginx is
# the only peer, and the one proxy the replicas trust; the bench's clients all come from
# 127.0.0.1, so the rate limit is off as in every live test.
REPLICA_ENV = {
    **NO_RATE_LIMIT,
    "AGV_WORKERS": "1",
    "AGV_RENDER_WORKERS": "1",
    "AGV_TRUSTED_PROXIES": "127.0.0.1",
    # While one replica restarts, the other takes every client: let them wait for its worker
    # rather than answer 429 after the default 2 s.
    "AGV_QUEUE_WAIT_S": "20",
}
FAIL_TIMEOUT_S = 3
# Sent one at a time after the restart, so the restarted replica is seen serving again.
AFTER_RESTART_REQUESTS = 10
ACCESS_FORMAT = '$msec $status "$upstream_addr" "$upstream_status" $request_time'


def nginx_config(prefix: Path, port: int, upstreams: list[int]) -> str:
    """nginx's configuration: ``127.0.0.1:port`` in front of the replicas at ``upstreams``."""
    servers = "\n".join(
        f"        server {HOST}:{upstream} max_fails=1 fail_timeout={FAIL_TIMEOUT_S}s;"
        for upstream in upstreams
    )
    # Running as root, nginx would hand its workers to "nobody", who cannot use the scratch dir.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix}/tmp/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
{temp}
    log_format replicas '{ACCESS_FORMAT}';
    access_log {prefix}/access.log replicas;
    upstream autograd_viz {{
{servers}
        keepalive 16;
    }}
    server {{
        listen {HOST}:{port};
        client_max_body_size 100k;
        location / {{
            proxy_pass http://autograd_viz;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A program is run again on the other replica if the first died with it: running
            # it has no effect outside its answer, so a POST is safe to repeat here.
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


@dataclass
class Nginx:
    """A running nginx: its process, port and scratch directory."""

    process: subprocess.Popen[bytes]
    port: int
    prefix: Path


def start_nginx(prefix: Path, upstreams: list[int]) -> Nginx:
    """Write the configuration under ``prefix``, check it, start nginx, wait for its port."""
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / kind).mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_config(prefix, port, upstreams))
    command = [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    subprocess.run([*command, "-t", "-q"], check=True, capture_output=True)
    log = open(prefix / "nginx.out", "wb")  # noqa: SIM115 - the child holds it open
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((prefix / "error.log").read_text(errors="replace"))
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return Nginx(process, port, prefix)
        except OSError:
            time.sleep(0.05)
    stop_nginx(Nginx(process, port, prefix))
    raise RuntimeError(f"nginx did not listen on {port} within 10 s")


def stop_nginx(nginx: Nginx) -> None:
    """Stop nginx (SIGQUIT: finish what it is serving), killing it if it hangs."""
    if nginx.process.poll() is None:
        nginx.process.send_signal(signal.SIGQUIT)
    try:
        nginx.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        nginx.process.kill()
        nginx.process.wait(timeout=5)


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children...), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def kill_replica(server: LiveServer) -> int:
    """SIGKILL the replica and everything it started, at once; how many processes that was."""
    pids = [server.pid, *descendants(server.pid)]
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    server.process.wait(timeout=10)
    return len(pids)


@dataclass
class ReplicaRun:
    """What happened: the clients' outcomes, the kill and restart, nginx's access log."""

    load: LoadResult
    seconds: float
    clients: int
    killed_at_s: float = 0.0
    killed_processes: int = 0
    restarted_after_s: float | None = None
    restart_error: str = ""
    by_upstream: Counter[str] = field(default_factory=Counter)
    retried: int = 0
    served_by_restarted: int = 0
    nginx_5xx: int = 0


async def run(args: argparse.Namespace, scratch: Path) -> ReplicaRun:
    """Start the replicas and nginx, drive the load with one kill and restart, stop them."""
    logs = scratch / "logs"
    logs.mkdir()
    replicas = await asyncio.gather(
        *(
            asyncio.to_thread(live_server.start, REPLICA_ENV, logs / f"replica{index}.log")
            for index in range(2)
        )
    )
    progress(f"replicas on ports {[replica.port for replica in replicas]}")
    nginx = start_nginx(scratch / "nginx", [replica.port for replica in replicas])
    progress(f"nginx on port {nginx.port}")
    load = LoadResult(args.seconds, args.clients, args.hostile)
    result = ReplicaRun(load, args.seconds, args.clients)
    restarted_at = 0.0
    try:
        started = time.perf_counter()

        async def killer() -> None:
            nonlocal restarted_at
            await asyncio.sleep(args.seconds / 3)
            victim = replicas[0]
            result.killed_at_s = time.perf_counter() - started
            result.killed_processes = kill_replica(victim)
            progress(f"killed replica on port {victim.port} ({result.killed_processes} processes)")
            try:
                replicas[0] = await asyncio.to_thread(
                    live_server.start, REPLICA_ENV, logs / "replica0-again.log", port=victim.port
                )
            except RuntimeError as exc:
                result.restart_error = str(exc)[-2000:]
                return
            restarted_at = time.time()
            result.restarted_after_s = time.perf_counter() - started - result.killed_at_s
            progress(f"replica on port {victim.port} back after {result.restarted_after_s:.1f} s")

        clients = run_clients(nginx.port, args, load, lambda: False, started, resend_cut=True)
        await asyncio.gather(killer(), clients)
        if result.restarted_after_s is not None:
            # nginx tries a failed replica again once its fail_timeout has passed.
            await asyncio.sleep(max(0.0, restarted_at + FAIL_TIMEOUT_S + 0.5 - time.time()))
            await _after(nginx.port, load)
        load.elapsed_s = time.perf_counter() - started
    finally:
        stop_nginx(nginx)
        for replica in replicas:
            live_server.stop(replica)
    _read_access_log(nginx.prefix / "access.log", result, replicas[0].port, restarted_at)
    return result


async def _after(port: int, load: LoadResult) -> None:
    """Gallery programs sent one at a time through nginx once the replica is back: with
    round-robin, about half go to it."""
    connection = HttpConnection(port)
    for run_number, program in enumerate(gallery()[:AFTER_RESTART_REQUESTS]):
        code = with_run_comment(program.code, -1000 - run_number)
        sent = time.perf_counter()
        try:
            answer = await connection.post_json(GRAPH, {"code": code})
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
            failure = type(exc).__name__
            load.outcomes.append(
                Outcome(GALLERY, time.perf_counter() - sent, None, failure=failure)
            )
            continue
        load.outcomes.append(Outcome(GALLERY, answer.seconds, answer.status))
    await connection.close()


def _read_access_log(path: Path, result: ReplicaRun, restarted_port: int, since: float) -> None:
    for line in path.read_text().splitlines():
        msec, status, addresses = line.split(" ", 2)
        upstreams = addresses.split('"')[1].split(", ")
        result.by_upstream[upstreams[-1]] += 1
        result.retried += len(upstreams) > 1
        result.nginx_5xx += int(status) >= 500
        if since and float(msec) >= since and upstreams[-1].endswith(f":{restarted_port}"):
            result.served_by_restarted += 1


def render(result: ReplicaRun, meter: CpuMeter) -> str:
    """This bench's block of docs/benchmarks.md."""
    seen = summary(result.load)
    met = seen["five_xx"] == 0 and seen["lost"] == 0 and result.served_by_restarted > 0
    back = (
        f"{result.restarted_after_s:.1f} s after the kill"
        if result.restarted_after_s is not None
        else f"**no**: {result.restart_error[-300:]}"
    )
    rows = [
        [
            "requests sent through nginx",
            (
                f"{seen['sent']:,} in {seen['seconds']} s ({AFTER_RESTART_REQUESTS} of them one"
                " at a time after the restart)"
            ),
        ],
        ["answered", f"{seen['answered']:,}"],
        ["answers by status", ", ".join(f"{k}: {v}" for k, v in sorted(seen["statuses"].items()))],
        ["5xx seen by clients / in nginx's log", f"{seen['five_xx']} / {result.nginx_5xx}"],
        ["lost (no answer)", str(seen["lost"])],
        [
            "cut while the answer was on its way, sent once more by the client (as the page does)",
            str(seen["resent"]),
        ],
        ["latency p50 / p99", f"{seen['p50_ms']} / {seen['p99_ms']} ms"],
        [
            "replica killed (SIGKILL, with its workers)",
            f"at {result.killed_at_s:.1f} s, {result.killed_processes} processes",
        ],
        ["replica serving again", back],
        ["requests nginx sent on to the other replica", str(result.retried)],
        ["answered by the restarted replica after its restart", str(result.served_by_restarted)],
        [
            "answers by replica (nginx's last upstream)",
            ", ".join(f"{k}: {v}" for k, v in sorted(result.by_upstream.items())),
        ],
    ]
    return section(
        "## Two replicas behind nginx, one killed and restarted (issue 16, point 5)",
        machine_table(meter),
        f"{result.clients} clients through Debian's nginx (`proxy_next_upstream error timeout"
        " http_502 http_503 non_idempotent`, `max_fails=1 fail_timeout=3s`) to two replicas of"
        " `python -m app.serve` with one worker each, on 127.0.0.1; the first replica SIGKILLed"
        f" with every process it started a third of the way into {result.seconds:g} s and"
        " started again on its port (`bench/replicas.py`; the configuration is"
        " `nginx_config` there). nginx moves a request to the other replica only before the"
        " answer has started; a request cut after that is sent once more by the client, as"
        " the page does (`static/js/api.js`: a program's run changes nothing on the server).",
        table(["", ""], rows),
        f"Zero 5xx, nothing lost, the restarted replica serving again: {'met' if met else '**not met**'}.",
    )


def main(argv: list[str] | None = None) -> int:
    """Run the replicas bench; 0 if the clients saw no 5xx and lost nothing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=40.0, help="how long to send (40)")
    parser.add_argument("--clients", type=int, default=6, help="concurrent clients (6)")
    parser.add_argument("--hostile", type=float, default=0.0, help="share of hostile (0)")
    parser.add_argument("--timeout", type=float, default=60.0, help="client time-out, s (60)")
    parser.add_argument("--seed", type=int, default=5, help="random seed of the mix (5)")
    parser.add_argument("--short", action="store_true", help="20 s of load, 4 clients")
    parser.add_argument("--output", type=Path, default=DOC_PATH, help="markdown file to update")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args(argv)
    if args.short:
        args.seconds, args.clients = 20.0, 4
    if not shutil.which(NGINX):
        raise SystemExit(f"{NGINX} is missing: bash scripts/setup.sh --test installs it")
    warnings.filterwarnings("ignore")
    meter = CpuMeter()
    with tempfile.TemporaryDirectory(prefix="agv-replicas-") as scratch:
        result = asyncio.run(run(args, Path(scratch)))
    write_block("bench/replicas.py", render(result, meter), args.output)
    progress(f"wrote {args.output}")
    figures = {
        **summary(result.load),
        "retried": result.retried,
        "nginx_5xx": result.nginx_5xx,
        "served_by_restarted": result.served_by_restarted,
        "restarted_after_s": result.restarted_after_s,
        "restart_error": result.restart_error,
        "by_upstream": dict(result.by_upstream),
    }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    ok = figures["five_xx"] == 0 and figures["lost"] == 0 and result.served_by_restarted > 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
