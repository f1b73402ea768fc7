"""The ``autograd-viz`` command (app/cli/), run as a user runs it: a process, from another folder.

Graph data is checked against plain PyTorch; ``render`` runs each program in the sandbox's
worker (never in the command's own process), so these start the zygote: a few seconds each.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import torch

ROOT = Path(__file__).resolve().parents[2]
MLP = """torch.manual_seed(0)
w = torch.randn(3, 2, requires_grad=True)
b = torch.zeros(2, requires_grad=True)
x = torch.tensor([[1.0, 2.0, 3.0]])
loss = ((x @ w + b).tanh() ** 2).sum()
loss.backward()
print("loss", round(loss.item(), 4))
"""
REFUSED = "x = torch.ones(2)\nimport os\ny = x * 2\nimport subprocess\n"


def autograd_viz(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``autograd-viz ARGS`` in ``cwd`` (this checkout's app, by PYTHONPATH)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def program(tmp_path: Path) -> Path:
    path = tmp_path / "mlp.py"
    path.write_text(MLP, encoding="utf-8")
    return path


def _plain_pytorch() -> dict[str, torch.Tensor]:
    """MLP's leaf gradients, as plain PyTorch computes them."""
    torch.manual_seed(0)
    w = torch.randn(3, 2, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    x = torch.tensor([[1.0, 2.0, 3.0]])
    ((x @ w + b).tanh() ** 2).sum().backward()
    assert w.grad is not None and b.grad is not None
    return {"w": w.grad, "b": b.grad}


def _plain_pytorch_ops() -> set[str]:
    torch.manual_seed(0)
    w = torch.randn(3, 2, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    loss = ((torch.tensor([[1.0, 2.0, 3.0]]) @ w + b).tanh() ** 2).sum()
    seen, stack = set(), [loss.grad_fn]
    while stack:
        node = stack.pop()
        if node is not None and type(node).__name__ != "AccumulateGrad":
            seen.add(type(node).__name__)
            stack.extend(next_fn for next_fn, _ in node.next_functions)
    return seen


@pytest.mark.parametrize("command", [[], ["serve"], ["render"], ["check"]])
def test_cli_help_for_each_command(tmp_path: Path, command: list[str]) -> None:
    done = autograd_viz(*command, "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: autograd-viz")
    expected = {
        (): "render",
        ("serve",): "--workers",
        ("render",): "--output",
        ("check",): "--lang",
    }
    assert expected[tuple(command)] in done.stdout


def test_render_json_leaf_grads_equal_plain_pytorch(tmp_path: Path, program: Path) -> None:
    done = autograd_viz("render", program.name, "-o", "out.json", cwd=program.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"loss {round(_plain_pytorch_loss(), 4)}\n"
    body = json.loads((program.parent / "out.json").read_text(encoding="utf-8"))
    leaves = {n["name"]: n for n in body["nodes"] if n["kind"] == "tensor" and n["is_leaf"]}
    for name, grad in _plain_pytorch().items():
        assert torch.allclose(torch.tensor(leaves[name]["grad"]["data"]), grad), name
    assert leaves["x"]["grad"] is None  # no requires_grad: no .grad, as in PyTorch


def _plain_pytorch_loss() -> float:
    torch.manual_seed(0)
    w = torch.randn(3, 2, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    return ((torch.tensor([[1.0, 2.0, 3.0]]) @ w + b).tanh() ** 2).sum().item()


@pytest.mark.parametrize(("suffix", "start"), [(".svg", "<?xml"), (".dot", "digraph")])
def test_render_svg_and_dot_draw_the_ops_plain_pytorch_records(
    program: Path, suffix: str, start: str
) -> None:
    out = program.parent / f"graph{suffix}"
    done = autograd_viz("render", str(program), "-o", str(out), cwd=program.parent)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().startswith(start)
    assert set(re.findall(r"\b(\w+Backward\d*)\b", text)) == _plain_pytorch_ops()


def test_render_refused_program_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(REFUSED, encoding="utf-8")
    done = autograd_viz("render", "bad.py", "-o", "out.svg", cwd=tmp_path)
    assert done.returncode == 1
    assert "RefusedImport (line 2)" in done.stderr
    assert not (tmp_path / "out.svg").exists()


def test_render_unknown_format_exits_2(program: Path) -> None:
    done = autograd_viz("render", program.name, "-o", "out.png", cwd=program.parent)
    assert done.returncode == 2
    assert ".svg, .dot, .json, .html" in done.stderr


def test_check_lists_every_refusal_with_line_column_and_hint(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(REFUSED, encoding="utf-8")
    done = autograd_viz("check", "bad.py", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith("bad.py:2:1: RefusedImport: import of 'os'")
    assert lines[2].startswith("bad.py:4:1: RefusedImport: import of 'subprocess'")
    assert lines[1].startswith("    ") and lines[3].startswith("    ")  # the hints


def test_check_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(REFUSED, encoding="utf-8")
    done = autograd_viz("check", "bad.py", "--lang", "zh", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("bad.py:2:1: RefusedImport: 这里不能导入 'os'")


@pytest.mark.parametrize(
    ("code", "where"),
    [
        ("x = (1,\n", "bad.py:1:5: SyntaxError"),
        ("def f():\n    global g\n", "bad.py:2:5: RefusedConstruct"),
    ],
    ids=["syntax", "construct"],
)
def test_check_names_the_place_python_would(tmp_path: Path, code: str, where: str) -> None:
    # Where Python's own parser puts the error (1-based column), or the construct's node.
    (tmp_path / "bad.py").write_text(code, encoding="utf-8")
    done = autograd_viz("check", "bad.py", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith(where)


def test_check_accepts_a_program_the_sandbox_runs(program: Path) -> None:
    done = autograd_viz("check", program.name, cwd=program.parent)
    assert done.returncode == 0
    assert "nothing here is refused" in done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["serve", "--port", str(port), "--workers", "1", "--no-access-log"]
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        yield first, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


@pytest.mark.slow
def test_serve_prints_its_url_and_serves_the_playground(served: tuple[str, str]) -> None:
    first, url = served
    assert f"{url}/" in first
    for _ in range(600):  # until the workers are warm (no timing asserted)
        try:
            if httpx.get(f"{url}/healthz").json().get("status") == "ok":
                break
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    page = httpx.get(f"{url}/")
    assert page.status_code == 200 and "autograd-viz" in page.text
    module = httpx.get(f"{url}/static/js/graph-view.js", headers={"accept-encoding": "gzip"})
    assert module.headers["content-encoding"] == "gzip"
    graph = httpx.post(f"{url}/api/graph", json={"code": MLP}, timeout=30).json()
    leaves = {n["name"]: n for n in graph["nodes"] if n["kind"] == "tensor" and n["is_leaf"]}
    assert torch.allclose(torch.tensor(leaves["b"]["grad"]["data"]), _plain_pytorch()["b"])


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000/"),
        ("0.0.0.0", "http://127.0.0.1:8000/"),  # every address: open it on this machine
        ("::", "http://[::1]:8000/"),
        ("fd00::5", "http://[fd00::5]:8000/"),
        ("example.org", "http://example.org:8000/"),
    ],
)
def test_serve_url_is_one_a_browser_opens(host: str, url: str) -> None:
    from app.cli import _url

    assert _url(host, 8000) == url
