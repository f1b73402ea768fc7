"""What runs here, as data: the facts of the allowlist, for the "What runs here" page.

``catalogue()`` reads the records (``allowlist/``: each library's modules and the names each
exposes, what each kind of object exposes, what stays out and the hint that says so; the
classes a program's class may build on; the builtins) and the limits, and returns plain JSON
data. The words around the facts are ``app/hints/what_runs_here.py``.

The server does not import this module (it would import torch and numpy):
``python -m app.language.catalogue`` writes ``static/what-runs-here.json``, which the page
(``/what-runs-here``) reads, and ``--markdown`` writes ``docs/what-runs-here.md``.
``tests/unit/test_catalogue.py`` checks that both committed files are what this module makes.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from torch.autograd.function import BackwardCFunction

from app.config import Settings
from app.hints import what_runs_here as words
from app.hints.hint import Hint
from app.language.allowlist import ALLOWLIST
from app.language.allowlist.builtins import GUARDED, PLAIN, SPECIAL_METHODS, UNAVAILABLE
from app.language.allowlist.classes import BASES, DECORATORS
from app.language.children import Children
from app.language.cudnn_flags import CudnnFlags
from app.language.plots import Axes, AxesGrid, Figure
from app.language.records import Library, TypeRule
from app.limits import Limits

ROOT = Path(__file__).resolve().parents[2]
JSON_PATH = ROOT / "static" / "what-runs-here.json"
MARKDOWN_PATH = ROOT / "docs" / "what-runs-here.md"

# Of the service's settings, the ones a program runs into (the rest are the operator's).
_PROGRAM_SETTINGS = ("eval_timeout_s", "worker_memory_mb")

# How teachers write the kinds of object the records name by an internal or stand-in class.
_KIND_NAMES: dict[type, str] = {
    Axes: "matplotlib.axes.Axes",
    Figure: "matplotlib.figure.Figure",
    AxesGrid: "plt.subplots(rows, cols)[1]",
    Children: "self._modules",
    BackwardCFunction: "ctx",
    types.MappingProxyType: "mappingproxy",
    CudnnFlags: "torch.backends.cudnn",
}
# A rule over more classes than this is named by their module (torch.return_types.*).
_MOST_KINDS = 6


# --- the facts ------------------------------------------------------------------------------


def _sorted(names: Iterable[str]) -> list[str]:
    return sorted(names, key=lambda name: (name.lower(), name))


def _public_names() -> dict[type, str]:
    """Each class a module's record lists, by the shortest path a program writes it."""
    found: dict[type, str] = {}
    for path, rule in ALLOWLIST.modules.items():
        module = ALLOWLIST.load(path)
        for name in rule.names if module is not None else ():
            value = getattr(module, name, None)
            spelled = f"{path}.{name}"
            if isinstance(value, type) and len(spelled) < len(found.get(value, spelled + " ")):
                found[value] = spelled
    return found


def _kind_name(kind: type, public: Mapping[type, str]) -> str:
    if kind in _KIND_NAMES:
        return _KIND_NAMES[kind]
    if kind in public:
        return public[kind]
    if kind.__module__ == "builtins":
        return kind.__qualname__
    module = ".".join(part for part in kind.__module__.split(".") if not part.startswith("_"))
    return f"{module}.{kind.__qualname__}"


def _kinds(rule: TypeRule, public: Mapping[type, str]) -> list[str]:
    if len(rule.types) > _MOST_KINDS:
        modules = sorted({kind.__module__ for kind in rule.types})
        return [f"{module}.*" for module in modules]
    named = [_kind_name(kind, public) for kind in rule.types]
    # The sized stand-in of a listed class (numpy's array) goes by the listed class's name.
    listed = [name for kind, name in zip(rule.types, named, strict=True) if kind in public]
    return list(dict.fromkeys(listed or named))


def _object(rule: TypeRule, public: Mapping[type, str]) -> dict[str, Any]:
    return {
        "kinds": _kinds(rule, public),
        "read": _sorted(rule.read - {"*"}),
        "set": _sorted(rule.set - {"*"}),
        "class_read": _sorted(rule.class_read),
        "own_fields": "*" in rule.set,
    }


def _library(library: Library, public: Mapping[type, str]) -> dict[str, Any]:
    return {
        "name": library.name,
        "modules": [{"path": rule.path, "names": _sorted(rule.names)} for rule in library.modules],
        "objects": [_object(rule, public) for rule in library.types],
    }


def _refused_name(path: str) -> str:
    """How a program writes what is refused: ``numpy.load``, ``open()`` for a builtin."""
    return f"{path.removeprefix('builtins.')}()" if path.startswith("builtins.") else path


def _refused() -> list[dict[str, Any]]:
    """What stays out, one group per hint, in the order the page's words give the groups."""
    groups: dict[str, tuple[Hint, list[str]]] = {}
    for library in ALLOWLIST.libraries:
        for path, hint in library.refused.items():
            groups.setdefault(hint.key, (hint, []))[1].append(_refused_name(path))
    order = list(words.REFUSAL_TITLES)
    return [
        {
            "key": key,
            "title": words.REFUSAL_TITLES[key],  # a new kind of refusal needs its title there
            "hint": {"en": hint.en, "zh": hint.zh},
            "names": _sorted(paths),
        }
        for key, (hint, paths) in sorted(groups.items(), key=lambda group: order.index(group[0]))
    ]


def _limits() -> list[dict[str, Any]]:
    values: dict[str, Any] = dataclasses.asdict(Limits())
    settings = Settings()
    values.update({name: getattr(settings, name) for name in _PROGRAM_SETTINGS})
    rows = []
    for name, value in values.items():
        label, unit = words.LIMITS[name]  # a new limit needs its words here
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        rows.append({"name": name, "value": value, "label": label, "unit": unit})
    return rows


def catalogue() -> dict[str, Any]:
    """Everything a program may use here, and what stays out with the hint it gets."""
    public = _public_names()
    return {
        "libraries": [
            _library(library, public)
            for library in ALLOWLIST.libraries
            if library.modules or library.types
        ],
        "classes": {
            "bases": [
                {"name": rule.name, "overridable": _sorted(rule.overridable)}
                for rule in BASES.values()
            ],
            "special_methods": _sorted(SPECIAL_METHODS),
            "decorators": list(DECORATORS),
        },
        "builtins": {
            "available": _sorted(PLAIN),
            "guarded": _sorted(GUARDED),
            "unavailable": _sorted(UNAVAILABLE),
        },
        "refused": _refused(),
        "limits": _limits(),
    }


def to_json(data: Mapping[str, Any]) -> str:
    """The catalogue as the committed file holds it."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


# --- the docs page ----------------------------------------------------------------------------

Text = Mapping[str, str]


def _both(text: Text) -> str:
    return f"{text['en']}\n\n{text['zh']}"


def _title(text: Text) -> str:
    return f"{text['en']} · {text['zh']}"


def _codes(names: Iterable[str]) -> str:
    return " ".join(f"`{name}`" for name in names)


def _section(key: str) -> list[str]:
    section = words.SECTIONS[key]
    return [f"## {_title(section['title'])}", _both(section["intro"])]


def _about() -> list[str]:
    out = []
    for part in words.ABOUT:
        out.append(f"## {_title(part['title'])}")
        out.extend(_both(paragraph) for paragraph in part.get("paragraphs", []))
        for lang in ("en", "zh") if part.get("items") else ():
            out.append(
                "\n".join(
                    f"- **{item['lead'][lang]}** {item['text'][lang]}" for item in part["items"]
                )
            )
    return out


def _object_lines(obj: Mapping[str, Any]) -> str:
    word = words.WORDS
    own = [_title(word["own_fields"])] if obj["own_fields"] else []
    lines = [f"**{_codes(obj['kinds'])}**"]
    for field in ("read", "set", "class_read"):
        listed = [_codes(obj[field])] if obj[field] else []
        shown = listed + (own if field != "class_read" else [])
        if shown or field == "read":
            lines.append(f"- {_title(word[field])}: {' + '.join(shown) or '—'}")
    return "\n".join(lines)


def to_markdown(data: Mapping[str, Any]) -> str:
    """The catalogue as docs/what-runs-here.md, each text in English and then in Chinese."""
    word = words.WORDS
    out = [f"# {_title(words.TITLE)}", f"<!-- {word['generated']['en']} -->"]
    out += [_both(words.LEDE), _both(words.IN_THE_APP), *_about()]
    out += _section("libraries")
    for library in data["libraries"]:
        out += [f"**`{rule['path']}`**: {_codes(rule['names'])}" for rule in library["modules"]]
    out += _section("objects")
    for library in data["libraries"]:
        out += [_object_lines(obj) for obj in library["objects"]]
    out += _section("classes")
    classes = data["classes"]
    rows = [f"- `object`: {_title(word['object'])}: {_codes(classes['special_methods'])}"]
    rows += [
        f"- `{base['name']}`: {_title(word['base'])}: {_codes(base['overridable'])}"
        for base in classes["bases"]
    ]
    rows.append(f"- {_title(word['decorators'])}: {_codes(classes['decorators'])}")
    out.append("\n".join(rows))
    out += _section("builtins")
    groups = ("available", "guarded", "unavailable")
    out.append("\n".join(f"- {_title(word[g])}: {_codes(data['builtins'][g])}" for g in groups))
    out += _section("refused")
    for group in data["refused"]:
        out.append(f"### {_title(group['title'])}")
        out.append(_codes(group["names"]))
        out.append(f"> {group['hint']['en']}\n>\n> {group['hint']['zh']}")
    out += _section("limits")
    table = [
        f"| {word['limit']['en']} | {word['limit']['zh']} | {_title(word['value'])} |",
        "|---|---|---:|",
    ]
    for row in data["limits"]:
        unit = f" {row['unit']['en']}" if row["unit"]["en"] else ""
        table.append(f"| {row['label']['en']} | {row['label']['zh']} | {row['value']:,}{unit} |")
    out.append("\n".join(table))
    return "\n\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Write static/what-runs-here.json (or, with --markdown, docs/what-runs-here.md)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--markdown", action="store_true", help="write the docs page instead")
    args = parser.parse_args(argv)
    data = catalogue()
    if args.markdown:
        MARKDOWN_PATH.write_text(to_markdown(data), encoding="utf-8")
        print(f"wrote {MARKDOWN_PATH.relative_to(ROOT)}")
    else:
        JSON_PATH.write_text(to_json(data), encoding="utf-8")
        print(f"wrote {JSON_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
