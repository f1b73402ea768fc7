"""The package as pip installs it: the wheel's files, and an install outside the checkout.

The wheel is built from a copy of the checkout (a build leaves ``build/`` and ``*.egg-info``
behind, and an old ``build/`` could add files the checkout no longer has). The install reuses
this venv's dependencies through a ``.pth`` file, so torch is not installed a second time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE_PACKAGES = next(Path(p) for p in sys.path if p.endswith("site-packages"))
PROGRAM = "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2 + 3\ny.backward()\n"

pytestmark = pytest.mark.slow


def _files(folder: str) -> set[str]:
    """The checkout's files under ``folder`` (no caches), relative to the checkout."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    for folder in ("app", "static", "templates"):
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run([*command, "-w", str(work / "dist"), str(source)], check=True, timeout=300)
    (built,) = (work / "dist").glob("autograd_viz-*.whl")
    yield built


def test_wheel_carries_templates_static_files_and_examples(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    # static/ and templates/ go inside the package (app/assets.py looks there first).
    for path in _files("static") | _files("templates"):
        assert f"app/{path}" in names, path
    for path in _files("app"):  # every module and every gallery program
        assert path in names, path
    assert any(name.startswith("app/examples/") and name[13].isdigit() for name in names)
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "autograd-viz = app.cli:main" in text


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; its dependencies are this venv's (a .pth)."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(venv)], check=True, timeout=300)
    (site,) = venv.glob("lib/python*/site-packages")
    (site / "autograd-viz-test-deps.pth").write_text(f"{SITE_PACKAGES}\n", encoding="utf-8")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index"]
    subprocess.run([*pip, str(wheel)], check=True, timeout=300)
    return venv


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(venv / "bin" / "autograd-viz"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_installed_command_works_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    done = _run(installed, tmp_path, "--help")
    assert done.returncode == 0, done.stderr
    assert "render" in done.stdout and "check" in done.stdout
    python = installed / "bin" / "python"
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import app.assets as a; print(a.__file__, a.STATIC_DIR, a.TEMPLATES_DIR)",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    ).stdout.split()
    site = str(next(installed.glob("lib/python*/site-packages")))
    assert all(path.startswith(site) for path in where), where  # not the checkout's
    assert where[1].endswith("app/static") and where[2].endswith("app/templates")


def test_installed_command_renders_an_svg_and_a_page(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(PROGRAM, encoding="utf-8")
    assert _run(installed, tmp_path, "check", "prog.py").returncode == 0
    svg = _run(installed, tmp_path, "render", "prog.py", "-o", "out.svg")
    assert svg.returncode == 0, svg.stderr
    text = (tmp_path / "out.svg").read_text(encoding="utf-8")
    assert "PowBackward0" in text and "AddBackward0" in text
    page = _run(installed, tmp_path, "render", "prog.py", "-o", "out.html")
    assert page.returncode == 0, page.stderr
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert '<script type="importmap">' in html and "/static/" not in html
