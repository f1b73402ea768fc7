"""``autograd-viz``: serve the playground, render a program's graph to a file, check a program.

    autograd-viz serve [--host H] [--port P] [--workers N]
    autograd-viz render PROGRAM.py -o OUT.(svg|dot|json|html) [--lang en|zh]
    autograd-viz check PROGRAM.py [--lang en|zh]

``render`` runs the program in the server's sandbox (``run.py``: the zygote's locked-down
worker, never this process); ``check`` only reads it (``check.py``). Modules load when a
command needs them, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMATS = (".svg", ".dot", ".json", ".html")
EXIT_REFUSED = 1
EXIT_USAGE = 2

_SERVE = "Serve the playground, the embed page and the API (as `python -m app.serve` does)."
_RENDER = (
    "Run PROGRAM.py in the sandbox and write its graph: .svg (the picture), .dot (Graphviz),"
    " .json (the API's answer: nodes, edges, gradients, backward passes) or .html (the"
    " interactive viewer with the graph inside: opens offline, no server needed)."
)
_CHECK = (
    "Tell what the sandbox would refuse in PROGRAM.py (line, column, hint) without running it."
    " Exit code 1 when something is refused."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograd-viz",
        description="Run small PyTorch programs in a sandbox and see their autograd graphs.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help=_SERVE, description=_SERVE)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    serve.add_argument(
        "--workers",
        type=int,
        help="sandboxed worker processes that run programs (default: AGV_WORKERS, else 2)",
    )
    serve.add_argument("--no-access-log", action="store_true", help="log no line per request")
    render = commands.add_parser("render", help=_RENDER, description=_RENDER)
    render.add_argument("program", type=Path, metavar="PROGRAM.py")
    render.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUT",
        help="OUT.svg, .dot, .json or .html",
    )
    render.add_argument(
        "--lang",
        choices=("en", "zh"),
        help="language of the drawing's words and the messages (the .html page: else the"
        " reader's browser language)",
    )
    check = commands.add_parser("check", help=_CHECK, description=_CHECK)
    check.add_argument("program", type=Path, metavar="PROGRAM.py")
    check.add_argument("--lang", choices=("en", "zh"), default="en", help="language (en)")
    return parser


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SystemExit(_usage_error(f"cannot read {path}: {exc}")) from exc


def _usage_error(message: str) -> int:
    print(f"autograd-viz: {message}", file=sys.stderr)
    return EXIT_USAGE


# Listening on every address: the URL to open on this machine is the loopback one.
_OPEN_AT = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}


def _url(host: str, port: int) -> str:
    shown = _OPEN_AT.get(host, host)
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def serve(args: argparse.Namespace) -> int:
    """Serve until stopped, through ``app.serve`` (settings checked, head deadline)."""
    if args.workers is not None:
        if args.workers < 1:
            return _usage_error("--workers must be at least 1")
        os.environ["AGV_WORKERS"] = str(args.workers)
    from app import serve as server

    print(f"autograd-viz: serving {_url(args.host, args.port)} (Ctrl+C stops it)", flush=True)
    argv = ["--host", args.host, "--port", str(args.port)]
    return server.main(argv + (["--no-access-log"] if args.no_access_log else []))


def _error_text(error: dict[str, Any], lang: str) -> str:
    message = (error.get("message_zh") if lang == "zh" else None) or error.get("message", "")
    place = f" (line {error['line']})" if error.get("line") else ""
    hint = error.get("hint") or {}
    hint_text = hint.get(lang) if isinstance(hint, dict) else None
    return f"{error.get('type')}{place}: {message}" + (f"\n    {hint_text}" if hint_text else "")


def _graph_text(body: dict[str, Any], key: str) -> str:
    text = body.get(key)
    if not isinstance(text, str):
        raise SystemExit(_usage_error(f"the graph was not drawn: {body.get('render_error')}"))
    return text


_WRITERS: dict[str, Callable[[dict[str, Any], str, str | None], str]] = {
    ".svg": lambda body, code, lang: _graph_text(body, "svg"),
    ".dot": lambda body, code, lang: _graph_text(body, "dot"),
    ".json": lambda body, code, lang: json.dumps(body, ensure_ascii=False, indent=1),
}


def render(args: argparse.Namespace) -> int:
    """Run the program in the sandbox and write the graph in the output's format."""
    suffix = args.output.suffix.lower()
    if suffix not in FORMATS:
        return _usage_error(f"{args.output}: the output must end in one of {', '.join(FORMATS)}")
    code = _read(args.program)
    from app.cli.run import run_program
    from app.config import SettingsError

    lang = args.lang or "en"
    try:
        answer = run_program(code, lang)
    except SettingsError as exc:
        return _usage_error(str(exc))
    body = answer.body
    if answer.status != 200:
        print(f"{args.program}: {_error_text(body.get('error') or {}, lang)}", file=sys.stderr)
        return EXIT_REFUSED
    sys.stdout.write(body.get("stdout") or "")  # what the program printed, as running it would
    if body.get("error"):
        print(
            f"{args.program}: the program stopped: {_error_text(body['error'], lang)}",
            file=sys.stderr,
        )
    if suffix == ".html":
        from app.cli.html import self_contained_html

        text = self_contained_html(body, code, args.lang)
    else:
        text = _WRITERS[suffix](body, code, args.lang)
    args.output.write_text(text, encoding="utf-8")
    print(f"autograd-viz: wrote {args.output}", file=sys.stderr)
    return 0


def check(args: argparse.Namespace) -> int:
    """Print each refusal (``file:line:col: Kind: message`` and a hint); 1 if any."""
    code = _read(args.program)
    from app.cli.check import refusals

    found = refusals(code, args.lang)
    for refusal in found:
        print(refusal.describe(str(args.program)))
    if not found:
        ok = (
            "沙箱不会拒绝这个程序。"
            if args.lang == "zh"
            else "nothing here is refused by the sandbox."
        )
        print(f"{args.program}: {ok}")
    return EXIT_REFUSED if found else 0


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "serve": serve,
    "render": render,
    "check": check,
}


def main(argv: list[str] | None = None) -> int:
    """The ``autograd-viz`` command."""
    args = _parser().parse_args(argv)
    return _COMMANDS[args.command](args)
