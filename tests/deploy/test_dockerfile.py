"""The Dockerfile, read line by line (no Docker engine runs here): torch's layer before the
project's files, the pin constraints.txt has, a numeric non-root user, tini as PID 1, $PORT."""

from __future__ import annotations

import json
import re

from tools.live_server import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


INSTRUCTIONS = _instructions()


def _index(predicate: str, keyword: str) -> int:
    return next(
        i for i, (kw, rest) in enumerate(INSTRUCTIONS) if kw == keyword and predicate in rest
    )


def test_torch_is_installed_before_any_project_file_is_copied() -> None:
    torch_layer = _index('"torch==${TORCH_VERSION}"', "RUN")
    first_copy = next(i for i, (kw, _) in enumerate(INSTRUCTIONS) if kw == "COPY")
    assert torch_layer < first_copy
    assert "--index-url https://download.pytorch.org/whl/cpu" in INSTRUCTIONS[torch_layer][1]


def test_torch_version_is_the_one_constraints_txt_pins() -> None:
    pinned = re.search(r"^torch==(\S+)$", (ROOT / "constraints.txt").read_text(), re.MULTILINE)
    assert pinned is not None
    assert ("ARG", f"TORCH_VERSION={pinned[1]}") in INSTRUCTIONS


def test_cpu_check_holds_on_every_architecture() -> None:
    """``+cpu`` is a suffix of the amd64 wheels only; no CUDA build is what matters."""
    assert "torch.version.cuda is None" in DOCKERFILE
    assert "+cpu'" not in DOCKERFILE


def test_runs_as_a_numeric_non_root_user() -> None:
    users = [rest for kw, rest in INSTRUCTIONS if kw == "USER"]
    assert users, "no USER"
    uid, _, gid = users[-1].partition(":")
    assert uid.isdigit() and int(uid) != 0 and (not gid or (gid.isdigit() and int(gid) != 0))
    assert f"--uid {uid}" in DOCKERFILE


def test_tini_is_pid_1_and_the_server_reads_port() -> None:
    [entrypoint] = [json.loads(rest) for kw, rest in INSTRUCTIONS if kw == "ENTRYPOINT"]
    assert entrypoint == ["/usr/bin/tini", "--"]
    assert "tini" in INSTRUCTIONS[_index("apt-get install", "RUN")][1]
    [command] = [json.loads(rest) for kw, rest in INSTRUCTIONS if kw == "CMD"]
    assert command[:3] == ["python", "-m", "app.serve"]
    assert "--port" not in command  # app.serve takes $PORT
    assert ("ENV", "PORT=8000") in INSTRUCTIONS


def test_healthcheck_asks_readiness_on_port() -> None:
    [check] = [rest for kw, rest in INSTRUCTIONS if kw == "HEALTHCHECK"]
    assert "/healthz/ready" in check and "PORT" in check


def test_every_copied_path_exists() -> None:
    for keyword, rest in INSTRUCTIONS:
        if keyword == "COPY":
            for source in rest.split()[:-1]:
                assert (ROOT / source).exists(), source


def test_readme_names_the_image_and_how_to_run_it() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docker build -t autograd-viz ." in readme
    assert "docker run" in readme and "autograd-viz" in readme
