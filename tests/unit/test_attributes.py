"""Attribute reads and writes, ``type()`` and imports, by the allowlist
(app/language/attributes.py), called directly."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch import nn

from app.language.allowlist import ALLOWLIST
from app.language.errors import LimitExceeded, SandboxViolation
from app.language.runtime import Runtime
from app.language.torch_mode import ProgramMode
from app.limits import Limits

# --- reading attributes ------------------------------------------------------------------------
TORCH_UNREACHABLE = [
    "os",
    "sys",
    "builtins",
    "load",
    "save",
    "from_file",
    "hub",
    "ops",
    "jit",
    "library",
    "compile",
    "hub",
    "_C",
    "serialization",
    "multiprocessing",
    "distributed",
    "package",
    "fx",
    "overrides",
    "set_num_threads",
    "random",
    "storage",
    "UntypedStorage",
    "classes",
    "testing",
    "onnx",
]


@pytest.mark.parametrize("name", TORCH_UNREACHABLE)
def test_torch_attribute_unreachable(rt: Runtime, name: str) -> None:
    assert hasattr(torch, name), "a name torch does not have proves nothing"
    with pytest.raises(SandboxViolation, match=f"'{name}' of module 'torch'"):
        rt.attributes.getattr(torch, name)


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (nn, "modules"),
        (nn.utils, "rnn"),
        (nn, "parallel"),
        (nn.functional, "torch"),
        (nn.functional, "math"),
        (torch.optim, "sgd"),
        (torch.optim, "lbfgs"),
        (torch.autograd, "function"),
        (torch.autograd, "forward_ad"),
        (torch.autograd, "graph"),
        (torch.autograd, "profiler"),
        (torch.linalg, "torch"),
    ],
)
def test_submodule_attribute_unreachable(rt: Runtime, module: Any, name: str) -> None:
    with pytest.raises(SandboxViolation):
        rt.attributes.getattr(module, name)


def test_allowlisted_path_reachable(rt: Runtime) -> None:
    functional = rt.attributes.getattr(rt.attributes.getattr(torch, "nn"), "functional")
    assert rt.attributes.getattr(functional, "relu") is torch.nn.functional.relu
    assert rt.attributes.getattr(torch, "float32") is torch.float32


@pytest.mark.parametrize(
    "name",
    [
        "storage",
        "untyped_storage",
        "share_memory_",
        "__reduce_ex__",
        "apply_",
        "map_",
        "set_",
        "resize_",
        "as_strided",
        "_base",
        "new",
        "__array__",
    ],
)
def test_tensor_attribute_unreachable(rt: Runtime, name: str) -> None:
    with pytest.raises(SandboxViolation):
        rt.attributes.getattr(torch.ones(1), name)


@pytest.mark.parametrize("value", [{}, [], "text", (1,), 1, 1.5, torch.Size([1])], ids=repr)
@pytest.mark.parametrize("name", ["format_map", "__init__", "mro", "__dict__", "__subclasses__"])
def test_builtin_value_attributes_unreachable(rt: Runtime, value: Any, name: str) -> None:
    # A name the value has is refused; one it lacks fails as in Python (``{}.format_map``).
    expected = SandboxViolation if hasattr(value, name) or name.startswith("__") else AttributeError
    with pytest.raises(expected):
        rt.attributes.getattr(value, name)


def test_class_of_a_value_is_a_class_that_cannot_build_unchecked(rt: Runtime) -> None:
    tensor_class = rt.attributes.getattr(torch.ones(1), "__class__")
    assert tensor_class is not torch.Tensor and repr(tensor_class) == "<class 'torch.Tensor'>"
    assert isinstance(torch.ones(1), tensor_class)
    assert rt.attributes.getattr([], "__class__") is rt.namespace()["__builtins__"]["list"]
    assert rt.attributes.type_of(1) is int
    node_class = rt.attributes.type_of((torch.ones(1, requires_grad=True) * 2).grad_fn)
    assert repr(node_class) == "<class 'MulBackward0'>"
    with pytest.raises(SandboxViolation):
        node_class()
    with pytest.raises(SandboxViolation):
        rt.attributes.type_of(type)("E", (object,), {})
    with pytest.raises(SandboxViolation):
        rt.attributes.type_of(print)()
    with pytest.raises(SandboxViolation, match="three arguments"):
        rt.attributes.type_of("X", (), {"__array_interface__": {}})


def test_builtin_value_methods_reachable(rt: Runtime) -> None:
    assert rt.attributes.getattr({"a": 1}, "keys")() == {"a": 1}.keys()
    assert rt.attributes.getattr("a b", "split")() == ["a", "b"]
    assert rt.attributes.getattr((1, 2), "index")(2) == 1


def test_module_instance_attributes(rt: Runtime) -> None:
    layer = nn.Linear(2, 3)
    assert rt.attributes.getattr(layer, "weight") is layer.weight
    assert rt.attributes.getattr(layer, "in_features") == 2
    assert dict(rt.attributes.getattr(layer, "_parameters")) == dict(layer.named_parameters())
    with pytest.raises(TypeError):  # a read-only view
        rt.attributes.getattr(layer, "_parameters")["weight"] = None
    for name in ("__dict__", "_forward_hooks", "_version", "T_destination", "dump_patches"):
        with pytest.raises(SandboxViolation):
            rt.attributes.getattr(layer, name)
    # A name a module does not have (torch.nn.modules.module's function) fails as in Python.
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'register_mod"):
        rt.attributes.getattr(layer, "register_module_forward_hook")


def test_user_module_attributes(rt: Runtime) -> None:
    class Net(nn.Module):
        scale = 2

        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(1, 1)
            self.note = "hi"

        def helper(self) -> int:
            return 1

    rt.definitions.user_class(Net)
    net = Net()
    assert rt.attributes.getattr(net, "fc") is net.fc
    assert rt.attributes.getattr(net, "note") == "hi"
    assert rt.attributes.getattr(net, "scale") == 2
    assert rt.attributes.getattr(net, "helper")() == 1
    with pytest.raises(SandboxViolation):
        rt.attributes.getattr(net, "_forward_hooks")
    with pytest.raises(AttributeError):  # torch.nn.modules.module's, not a module's method
        rt.attributes.getattr(net, "register_module_forward_hook")
    # d2l's MySequential: children by self._modules, which takes modules only
    children = rt.attributes.getattr(net, "_modules")
    assert list(children.values()) == [net.fc]
    children["out"] = nn.Linear(1, 1)
    assert isinstance(net.out, nn.Linear)
    with pytest.raises(TypeError):
        children["evil"] = "not a module"


def test_private_names_of_the_programs_own_objects(rt: Runtime) -> None:
    class Value:
        def __init__(self) -> None:
            self._prev = {1}

    rt.definitions.user_class(Value)
    value = Value()
    assert rt.attributes.getattr(value, "_prev") == {1}
    rt.attributes.setattr(value, "_op", "+")
    assert value._op == "+"  # type: ignore[attr-defined]
    for library_object in (torch.ones(1), nn.Linear(1, 1), [1], torch):
        refused = hasattr(library_object, "_backward_hooks") or library_object is torch
        with pytest.raises(SandboxViolation if refused else AttributeError):
            rt.attributes.getattr(library_object, "_backward_hooks")
    # A tensor's _version is listed to be read (torch's record), never set.
    assert rt.attributes.getattr(torch.ones(1), "_version") == 0
    for library_object in (nn.Linear(1, 1), [1], torch):
        refused = hasattr(library_object, "_version") or library_object is torch
        with pytest.raises(SandboxViolation if refused else AttributeError):
            rt.attributes.getattr(library_object, "_version")
    with pytest.raises(SandboxViolation):
        rt.attributes.setattr(torch.ones(1), "_version", 3)


def test_a_listed_name_is_looked_up_in_the_records_once(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A training loop reads ``torch.no_grad``, ``loss.backward``, ``w.grad`` thousands of
    times: the records are asked the first time only, and every read gives the live value."""
    asked: list[object] = []
    real_type_rule, real_module_rule = ALLOWLIST.type_rule, ALLOWLIST.module_rule
    monkeypatch.setattr(
        ALLOWLIST, "type_rule", lambda kind: asked.append(kind) or real_type_rule(kind)
    )
    monkeypatch.setattr(ALLOWLIST, "module_rule", lambda m: asked.append(m) or real_module_rule(m))
    w = torch.ones(2, requires_grad=True)
    rt.attributes.getattr(w, "grad")
    rt.attributes.getattr(torch, "sin")
    asked.clear()
    for step in range(3):
        w.grad = torch.full((2,), float(step))
        assert torch.equal(rt.attributes.getattr(w, "grad"), w.grad)
        assert rt.attributes.getattr(torch, "sin") is torch.sin
        assert rt.attributes.getattr(torch.zeros(1), "grad") is None  # another tensor
    assert asked == []


def test_tensor_fields_under_the_torch_mode_are_as_in_pytorch(rt: Runtime) -> None:
    """A plain tensor's fields (``w.grad``, ``x.shape``...), read and written through the guard
    while the program's torch mode is on, first and later times alike, are what PyTorch has;
    the mode goes on sizing the calls around them."""
    w = torch.ones(3, 2, requires_grad=True)
    (w * 2).sum().backward()
    fields = ("grad", "shape", "T", "requires_grad", "is_leaf", "grad_fn", "dtype", "ndim")
    plain = [getattr(w, name) for name in fields]
    with ProgramMode(Limits(max_tensor_elements=100)):
        for _ in range(2):  # the first read asks the records, the later ones do not
            read = [rt.attributes.getattr(w, name) for name in fields]
            assert torch.equal(read[0], plain[0]) and torch.equal(read[2], plain[2])
            assert read[1:2] + read[3:] == plain[1:2] + plain[3:]
            assert rt.attributes.getattr(w, "grad", 7) is w.grad
        rt.attributes.setattr(w, "grad", None)
        rt.attributes.setattr(w, "grad", None)
        assert rt.attributes.getattr(w, "grad") is None
        rt.attributes.setattr(w, "requires_grad", False)
        assert rt.attributes.getattr(w, "requires_grad") is False
        rt.attributes.setattr(w, "data", torch.full((3, 2), 5.0))
        assert torch.equal(rt.attributes.getattr(w, "data"), torch.full((3, 2), 5.0))
        with pytest.raises(RuntimeError, match="requires_grad must be a bool"):  # PyTorch's own
            rt.attributes.setattr(w, "requires_grad", "yes")
        with pytest.raises(LimitExceeded):
            rt.attributes.getattr(w, "T").repeat(100, 100)


def test_names_remembered_open_no_others(rt: Runtime) -> None:
    """What is remembered is a listed name on a library module or a plain tensor: names
    beside it stay refused, and objects of the program's own classes are asked each time."""
    x = torch.ones(1)
    assert rt.attributes.getattr(x, "grad") is None
    assert rt.attributes.getattr(torch, "sin") is torch.sin
    for obj, name in ((x, "_cdata"), (x, "__class__.__bases__"), (torch, "_C"), (torch, "load")):
        with pytest.raises(SandboxViolation):
            rt.attributes.getattr(obj, name)
    with pytest.raises(SandboxViolation):  # torch.nn is another module, with its own record
        rt.attributes.getattr(nn, "sin")

    class Point:
        def __init__(self) -> None:
            self.x = 1

    rt.definitions.user_class(Point)
    point = Point()
    assert rt.attributes.getattr(point, "x") == 1
    del point.x
    with pytest.raises(AttributeError):
        rt.attributes.getattr(point, "x")


# --- writing attributes ------------------------------------------------------------------------------
def test_setattr_rules(rt: Runtime) -> None:
    x = torch.ones(2)
    rt.attributes.setattr(x, "requires_grad", True)
    assert x.requires_grad
    rt.attributes.setattr(x, "grad", torch.zeros(2))
    rt.attributes.setattr(x, "data", torch.full((2,), 3.0))
    layer = nn.Linear(1, 1)
    rt.attributes.setattr(layer, "weight", nn.Parameter(torch.zeros(1, 1)))

    class Net(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x

    rt.definitions.user_class(Net)
    net = Net()
    rt.attributes.setattr(net, "depth", 3)
    assert net.depth == 3
    refused: list[tuple[Any, str]] = [
        (x, "shape"),
        (x, "_version"),
        (x, "__class__"),
        (x, "foo"),
        (layer, "forward"),
        (layer, "in_features"),
        (layer, "_parameters"),
        (net, "forward"),
        (net, "parameters"),
        (net, "__class__"),
        (torch, "add"),
        (nn.Linear, "forward"),
        ({}, "x"),
        ([], "append"),
        (print, "x"),
    ]
    for obj, name in refused:
        with pytest.raises(SandboxViolation):
            rt.attributes.setattr(obj, name, None)


# --- imports --------------------------------------------------------------------------------------
def test_import_module(rt: Runtime) -> None:
    assert rt.attributes.import_module("torch.nn") is torch.nn
    for name in ("os", "torch.utils.cpp_extension", "torch.nn.modules", "numpy.ctypeslib"):
        with pytest.raises(SandboxViolation):
            rt.attributes.import_module(name)
    with pytest.raises(SandboxViolation):
        rt.attributes.import_from("torch", "load")


# --- asking a module for a name -------------------------------------------------------------------
def test_hasattr_and_getattr_on_a_module_never_run_its_lazy_imports(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """torch's module ``__getattr__`` imports ``torch.onnx`` or ``torch._dynamo`` (seconds, and
    code no record lists) when asked for them: a name the record does not list is not there."""
    asked: list[str] = []

    def lazy(name: str) -> Any:
        asked.append(name)
        raise AttributeError(name)

    monkeypatch.setattr(torch, "__getattr__", lazy, raising=False)
    assert rt.attributes.hasattr(torch, "onnx") is False
    assert rt.attributes.hasattr(torch, "_dynamo") is False
    assert rt.attributes.getattr(torch, "onnx", None) is None
    assert asked == []
    assert rt.attributes.hasattr(torch, "tensor") is True  # listed names are there
    assert rt.attributes.hasattr(torch, "__name__") is True
    assert rt.attributes.hasattr(torch.nn, "no_such_layer") is False


def test_the_type_rules_never_keep_a_class_alive() -> None:
    """The attribute guard remembers the rule of every class it met, a program's too: the
    memory must let them go with their program."""
    import gc
    import weakref

    from app.language.allowlist import ALLOWLIST

    kind = type("ProgramsNet", (nn.Module,), {})
    assert ALLOWLIST.type_rule(kind) is ALLOWLIST.type_rule(nn.Module)
    assert kind in ALLOWLIST._by_type
    gone = weakref.ref(kind)
    del kind
    gc.collect()
    assert gone() is None
