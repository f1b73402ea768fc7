"""The catalogue of what runs here (app/language/catalogue.py): the committed page data and docs
are what it makes from the allowlist now, and the facts in it are the allowlist's."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.hints import sandbox
from app.hints import what_runs_here as words
from app.language.allowlist import ALLOWLIST
from app.language.allowlist.builtins import GUARDED, PLAIN, UNAVAILABLE
from app.language.catalogue import (
    JSON_PATH,
    MARKDOWN_PATH,
    catalogue,
    main,
    to_json,
    to_markdown,
)
from app.limits import Limits

REGENERATE = (
    "regenerate it: python -m app.language.catalogue && python -m app.language.catalogue --markdown"
)


@pytest.fixture(scope="module")
def facts() -> dict[str, Any]:
    return catalogue()


def _module(facts: dict[str, Any], path: str) -> dict[str, Any]:
    (found,) = [m for lib in facts["libraries"] for m in lib["modules"] if m["path"] == path]
    return found


def _refused(facts: dict[str, Any], key: str) -> dict[str, Any]:
    (found,) = [group for group in facts["refused"] if group["key"] == key]
    return found


def test_committed_page_data_is_the_catalogue_now(facts: dict[str, Any]) -> None:
    assert JSON_PATH.read_text(encoding="utf-8") == to_json(facts), REGENERATE


def test_committed_docs_page_is_the_catalogue_now(facts: dict[str, Any]) -> None:
    assert MARKDOWN_PATH.read_text(encoding="utf-8") == to_markdown(facts), REGENERATE


def test_main_writes_both_files(
    facts: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("app.language.catalogue.JSON_PATH", tmp_path / "out.json")
    monkeypatch.setattr("app.language.catalogue.MARKDOWN_PATH", tmp_path / "out.md")
    monkeypatch.setattr("app.language.catalogue.ROOT", tmp_path)
    main([])
    main(["--markdown"])
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == to_json(facts)
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == to_markdown(facts)


def test_torch_normal_is_listed(facts: dict[str, Any]) -> None:
    assert "normal" in _module(facts, "torch")["names"]
    assert "relu" in _module(facts, "torch.nn.functional")["names"]


def test_every_module_lists_exactly_the_allowlist_names(facts: dict[str, Any]) -> None:
    listed = {m["path"]: set(m["names"]) for lib in facts["libraries"] for m in lib["modules"]}
    assert listed == {path: set(ALLOWLIST.names_of(path)) for path in ALLOWLIST.importable}


def test_numpy_load_is_refused_with_the_files_hint(facts: dict[str, Any]) -> None:
    files = _refused(facts, sandbox.FILES.key)
    assert "numpy.load" in files["names"] and "os" in files["names"]
    assert files["hint"] == {"en": sandbox.FILES.en, "zh": sandbox.FILES.zh}
    assert ALLOWLIST.refusal("numpy.load") == sandbox.FILES


def test_every_refusal_is_listed_once_with_its_hint(facts: dict[str, Any]) -> None:
    listed = [name for group in facts["refused"] for name in group["names"]]
    records = [path for lib in ALLOWLIST.libraries for path in lib.refused]
    assert len(listed) == len(set(listed)) == len(records)
    for group in facts["refused"]:
        for name in group["names"]:
            path = f"builtins.{name.removesuffix('()')}" if name.endswith("()") else name
            hint = ALLOWLIST.refusal(path)
            assert hint is not None and hint.key == group["key"], name


def test_open_is_unavailable(facts: dict[str, Any]) -> None:
    builtins = facts["builtins"]
    assert "open" in builtins["unavailable"]
    assert "open" not in builtins["available"] + builtins["guarded"]
    assert "open()" in _refused(facts, sandbox.FILES.key)["names"]
    assert set(builtins["available"]) == PLAIN and set(builtins["guarded"]) == set(GUARDED)
    assert set(builtins["unavailable"]) == set(UNAVAILABLE)


def test_objects_name_their_kinds_as_programs_write_them(facts: dict[str, Any]) -> None:
    objects = {
        kind: obj for lib in facts["libraries"] for obj in lib["objects"] for kind in obj["kinds"]
    }
    assert {"grad", "backward", "requires_grad"} <= set(objects["torch.Tensor"]["read"])
    assert objects["torch.Tensor"]["set"] == ["data", "grad", "requires_grad"]
    assert "forward" not in objects["torch.nn.Module"]["set"]
    assert objects["ctx"]["own_fields"] and "save_for_backward" in objects["ctx"]["read"]
    assert "numpy.ndarray" in objects and "torch.return_types.*" in objects
    # No module of ours or private module is named: each kind is how a program writes it
    # (``self._modules`` is the program's own field).
    assert not [
        kind for kind in objects if kind.startswith("app.") or "._" in kind.removeprefix("self.")
    ]


def test_classes_and_decorators(facts: dict[str, Any]) -> None:
    classes = facts["classes"]
    bases = {base["name"]: base["overridable"] for base in classes["bases"]}
    assert "forward" in bases["nn.Module"] and "__call__" not in bases["nn.Module"]
    assert "backward" in bases["torch.autograd.Function"]
    assert "@torch.no_grad()" in classes["decorators"]
    assert {"__init__", "__add__"} <= set(classes["special_methods"])
    assert "__getattr__" not in classes["special_methods"]


def test_limits_are_the_defaults(facts: dict[str, Any]) -> None:
    values = {row["name"]: row["value"] for row in facts["limits"]}
    assert {name: values[name] for name in dataclasses.asdict(Limits())} == dataclasses.asdict(
        Limits()
    )
    assert values["eval_timeout_s"] == Settings().eval_timeout_s
    assert values["worker_memory_mb"] == Settings().worker_memory_mb


def test_the_words_cover_every_refusal_and_limit_and_no_more() -> None:
    keys = {hint.key for lib in ALLOWLIST.libraries for hint in lib.refused.values()}
    assert set(words.REFUSAL_TITLES) == keys
    limits = {field.name for field in dataclasses.fields(Limits)}
    assert set(words.LIMITS) == limits | {"eval_timeout_s", "worker_memory_mb"}


def test_every_text_has_both_languages() -> None:
    texts = [words.TITLE, words.LEDE, words.IN_THE_APP, *words.WORDS.values()]
    texts += [*words.REFUSAL_TITLES.values()]
    texts += [text for label, unit in words.LIMITS.values() for text in (label, unit)]
    for part in [*words.ABOUT, *words.SECTIONS.values()]:
        texts += [
            part["title"],
            *part.get("paragraphs", []),
            *([part["intro"]] if "intro" in part else []),
        ]
        texts += [text for item in part.get("items", []) for text in item.values()]
    for text in texts:
        assert set(text) == {"en", "zh"}
        # Units may be empty in English ("20,000" nodes); everything else is in both.
        assert text["zh"] and (text["en"] or text in [unit for _, unit in words.LIMITS.values()])
        assert text["en"].count("`") % 2 == 0 and text["zh"].count("`") % 2 == 0, text
