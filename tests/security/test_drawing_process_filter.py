"""The drawing processes parse worker-made graphs with Graphviz's C library: once it is loaded,
they run under the workers' seccomp filter (app/syscall_filter.py), and still draw."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

from app.draw import drawing_wire
from tools.live_server import ROOT

PROBE = r"""
import json, os, socket, sys
from app.draw import drawing_process
from app.draw.render import to_dot, to_svg, warm
canary = sys.argv[1]
results = {"library": warm(), "filtered": drawing_process._install_filter()}

def attempt(name, fn):
    try:
        fn()
        results[name] = "allowed"
    except OSError as exc:
        results[name] = f"denied: {exc.strerror}"

attempt("write_file", lambda: open(canary, "w").write("x"))
attempt("socket", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM))
attempt("fork", lambda: os.fork() == 0 and os._exit(0))
attempt("exec", lambda: os.execv("/bin/true", ["true"]))
attempt("read_file", lambda: open("/etc/hostname").read())
graph = {
    "nodes": [
        {"id": "x", "kind": "tensor", "label": "x", "shape": [2], "role": "leaf"},
        {"id": "f", "kind": "function", "op": "MulBackward0"},
    ],
    "edges": [{"id": "e", "source": "x", "target": "f", "kind": "data"}],
}
results["nodes_drawn"] = to_svg(to_dot(graph), graph=graph).count('class="node"')
print(json.dumps(results))
"""


def test_a_filtered_drawing_process_starts_nothing_opens_no_socket_writes_no_file_and_draws() -> (
    None
):
    canary = f"/tmp/agv-canary-{uuid.uuid4().hex}"
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", PROBE, canary],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert results["library"] is True and results["filtered"] is True
    for call in ("write_file", "socket", "fork", "exec"):
        assert str(results[call]).startswith("denied"), (call, results[call])
    assert results["read_file"] == "allowed"
    assert not Path(canary).exists()
    assert results["nodes_drawn"] == 2


def test_the_drawing_process_as_the_pool_starts_it_says_it_is_filtered() -> None:
    config = json.dumps({"memory_mb": 1024, "seccomp": True})
    with subprocess.Popen(
        [sys.executable, "-m", "app.draw.drawing_process", config],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        body = drawing_wire.read_frame_from(process.stdout)
        assert body is not None
        hello, _ = drawing_wire.split(body)
        assert hello["ready"] is True and hello["filtered"] is True
        status = Path(f"/proc/{hello['pid']}/status").read_text()
        assert "Seccomp:\t2" in status
        graph = {"nodes": [{"id": "f", "kind": "function", "op": "SumBackward0"}], "edges": []}
        request = drawing_wire.request(json.dumps(graph).encode(), dot=True, svg=True, timeout_s=10)
        process.stdin.write(request)
        process.stdin.flush()
        answer = drawing_wire.read_frame_from(process.stdout)
        assert answer is not None
        drawing = drawing_wire.read_answer(answer)
        assert drawing.error is None and drawing.svg is not None
        assert drawing.svg.count('class="node"') == 1
        process.stdin.close()
        assert process.wait(timeout=10) == 0
