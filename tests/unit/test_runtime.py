"""The runtime's guards, called directly, and the teaching constructs running end to end."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch import nn

from app.evaluate import evaluate
from app.language.errors import LimitExceeded, SandboxViolation
from app.language.runtime import Runtime
from app.limits import Limits
from tests.unit.test_policy import TEACHING


@pytest.fixture
def rt() -> Runtime:
    return Runtime(Limits())


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
    "set_default_tensor_type",
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


def test_numpy_of_tensor_that_requires_grad_gives_pytorch_error(rt: Runtime) -> None:
    numpy = rt.attributes.getattr(torch.ones(1, requires_grad=True), "numpy")
    with pytest.raises(RuntimeError, match="requires grad"):
        numpy()


def test_numpy_of_a_tensor_shares_its_memory_and_is_sized(rt: Runtime) -> None:
    tensor = torch.zeros(3)
    array = rt.attributes.getattr(tensor, "numpy")()
    array[0] = 5.0
    assert tensor[0] == 5.0 and repr(array) == "array([5., 0., 0.], dtype=float32)"
    with pytest.raises(LimitExceeded):
        array.reshape(3, 1) + array.reshape(1, 3).repeat(1_000_000, axis=0)


@pytest.mark.parametrize("value", [{}, [], "text", (1,), 1, 1.5, torch.Size([1])], ids=repr)
@pytest.mark.parametrize("name", ["format_map", "__init__", "mro", "__dict__", "__subclasses__"])
def test_builtin_value_attributes_unreachable(rt: Runtime, value: Any, name: str) -> None:
    with pytest.raises(SandboxViolation):
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


def test_str_format_takes_plain_fields_only(rt: Runtime) -> None:
    fmt = rt.attributes.getattr("{} {:.2f} {name}", "format")
    assert fmt(1, 2.0, name="n") == "1 2.00 n"
    assert rt.attributes.getattr("{0}-{0}", "format")("a") == "a-a"
    for template in ("{0.__class__}", "{0[0]}", "{:{width}}"):
        with pytest.raises(SandboxViolation):
            rt.attributes.getattr(template, "format")([1], width=3)
    with pytest.raises(LimitExceeded):
        rt.attributes.getattr("{:99999999}", "format")(1)


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
    for name in (
        "__dict__",
        "register_module_forward_hook",
        "_forward_hooks",
        "_version",
        "T_destination",
        "dump_patches",
    ):
        with pytest.raises(SandboxViolation):
            rt.attributes.getattr(layer, name)


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
    with pytest.raises(SandboxViolation):
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
        with pytest.raises(SandboxViolation):
            rt.attributes.getattr(library_object, "_version")
    with pytest.raises(SandboxViolation):
        rt.attributes.setattr(torch.ones(1), "_version", 3)


def test_user_class_may_not_redefine_module_methods(rt: Runtime) -> None:
    class Sneaky(nn.Module):
        def named_parameters(self, *args: Any, **kwargs: Any) -> Any:
            return iter(())

    with pytest.raises(SandboxViolation, match="named_parameters"):
        rt.definitions.user_class(Sneaky)

    class Fine(nn.Linear):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x

        def reset_parameters(self) -> None:
            """Redefining this one is allowed (it only initialises weights)."""

    assert rt.definitions.user_class(Fine) is Fine


def test_user_class_builds_on_allowed_bases_only(rt: Runtime) -> None:
    class Plain:
        def __add__(self, other: Any) -> Any:
            return self

    assert rt.definitions.user_class(Plain) is Plain
    for base in (dict, Exception, torch.Tensor, torch.optim.SGD):

        class Sub(base):  # type: ignore[valid-type,misc]
            pass

        with pytest.raises(SandboxViolation, match="may build on"):
            rt.definitions.user_class(Sub)

    class Called(nn.Module):
        def __call__(self, x: Any) -> Any:
            return x

    with pytest.raises(SandboxViolation, match="__call__"):
        rt.definitions.user_class(Called)


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


# --- operators and builtins that grow values -------------------------------------------------------
def _limit(call: Any, *args: Any) -> str:
    with pytest.raises(LimitExceeded) as caught:
        call(*args)
    return caught.value.limit


def test_sequence_growth_refused(rt: Runtime) -> None:
    assert _limit(rt.values.mul, [0], 10**9) == "sequence_length"
    assert _limit(rt.values.mul, 10**9, "a") == "sequence_length"
    assert _limit(rt.values.mul, b"a", 10**9) == "sequence_length"
    assert _limit(rt.values.mul, nn.Sequential(nn.ReLU()), 10**9) == "sequence_length"
    assert _limit(rt.values.add, [0] * 60_000, [0] * 60_000) == "sequence_length"
    assert _limit(rt.values.inplace, "*=", [0], 10**9) == "sequence_length"
    assert _limit(rt.values.inplace, "+=", [0] * 60_000, [0] * 60_000) == "sequence_length"
    assert rt.values.mul([0], 3) == [0, 0, 0]
    assert rt.values.add("a", "b") == "ab"


def test_tensor_arithmetic_not_mistaken_for_sequences(rt: Runtime) -> None:
    assert rt.values.mul(torch.ones(3), 10**9).tolist() == [1e9] * 3
    assert rt.values.add(torch.ones(200_000), torch.ones(200_000)).shape == (200_000,)


def test_integer_growth_refused(rt: Runtime) -> None:
    assert _limit(rt.values.pow, 10, 10**10) == "int_size"
    assert _limit(rt.values.pow, -3, 10**5) == "int_size"
    assert _limit(rt.values.lshift, 1, 10**9) == "int_size"
    assert _limit(rt.values.mul, 2**4000, 2**4000) == "int_size"
    assert _limit(rt.values.inplace, "**=", 7, 10**6) == "int_size"
    assert _limit(rt.values.inplace, "<<=", 1, 10**6) == "int_size"
    assert rt.values.pow(2, 10) == 1024
    assert rt.values.pow(1, 10**100) == 1
    assert rt.values.pow(2.0, 0.5) == 2.0**0.5


@pytest.mark.parametrize(
    "fmt", ["%0999999d", "%9999d", "%.9999f", "%*d", "%(a)0999999d", "%-+ 01000d", "%%%0999999d"]
)
def test_percent_format_width_refused(rt: Runtime, fmt: str) -> None:
    with pytest.raises(LimitExceeded):
        rt.values.mod(fmt, {"a": 1} if "(a)" in fmt else (1,))
    with pytest.raises(LimitExceeded):
        rt.values.mod(fmt.encode(), {b"a": 1} if "(a)" in fmt else (1,))


def test_percent_format_allowed(rt: Runtime) -> None:
    assert rt.values.mod("%5.2f|%-3d", (1.5, 2)) == " 1.50|2  "
    assert rt.values.mod("%(k)s=%(v)03d", {"k": "a", "v": 7}) == "a=007"
    assert rt.values.mod(7, 3) == 1
    assert rt.values.mod(torch.tensor([7.0]), 3).tolist() == [1.0]


def test_text_of_shared_sublists_refused(rt: Runtime) -> None:
    nested = [[0] * 100_000] * 100_000
    for call in (rt.values.checked_str, rt.values.checked_repr, rt.values.format, rt.output.print):
        assert _limit(call, nested) == "sequence_length"
    assert _limit(rt.values.mod, "%s", (nested,)) == "sequence_length"
    assert _limit(rt.attributes.getattr("", "join"), ["a" * 100_000] * 100_000) == "sequence_length"


def test_text_of_cyclic_list_allowed(rt: Runtime) -> None:
    cyclic: list[Any] = [1]
    cyclic.append(cyclic)
    assert rt.values.checked_str(cyclic) == "[1, [...]]"


def test_list_extend_bounded(rt: Runtime) -> None:
    items = [0] * 100_000
    assert _limit(rt.attributes.getattr(items, "extend"), items) == "sequence_length"
    short = [1]
    rt.attributes.getattr(short, "extend")(x for x in (2, 3))
    assert short == [1, 2, 3]


def test_range_bounded(rt: Runtime) -> None:
    assert _limit(rt.values.bounded_range, 10**9) == "loop_iterations"
    assert _limit(rt.values.bounded_range, 0, 10**6, 2) == "loop_iterations"
    assert list(rt.values.bounded_range(3)) == [0, 1, 2]


def test_consuming_builtins_count_iterations() -> None:
    rt = Runtime(Limits(max_loop_iterations=10))
    assert _limit(rt.values.counted_list, range(11)) == "loop_iterations"
    rt = Runtime(Limits(max_loop_iterations=10))
    assert (
        _limit(sum, rt.values.counted_iter(int, 1)) == "loop_iterations"
    )  # iter(f, sentinel) never ends
    rt = Runtime(Limits(max_loop_iterations=10))
    assert _limit(rt.values.checked_sum, [[0]] * 11, []) == "loop_iterations"


def test_sum_of_lists_bounded(rt: Runtime) -> None:
    assert _limit(rt.values.checked_sum, [[0] * 100_000] * 3, []) == "sequence_length"
    assert rt.values.checked_sum([[1], [2]], []) == [1, 2]
    assert rt.values.checked_sum([1, 2, 3]) == 6


def test_legacy_tensor_constructor_goes_through_the_limits(rt: Runtime) -> None:
    from app.language.torch_mode import ProgramMode

    with ProgramMode(Limits()):
        assert rt.legacy_tensor(2, 3).shape == (2, 3)
        assert rt.legacy_tensor([1, 2]).dtype == torch.get_default_dtype()
        with pytest.raises(LimitExceeded):
            rt.legacy_tensor(100_000, 100_000)
        with pytest.raises(LimitExceeded):
            rt.legacy_tensor(torch.Size([100_000, 100_000]))
    with pytest.raises(TypeError):
        rt.legacy_tensor(3, torch.tensor(10**9))


def test_stand_in_types_behave_like_the_builtins(rt: Runtime) -> None:
    builtins = rt.namespace()["__builtins__"]
    list_, str_, tuple_ = builtins["list"], builtins["str"], builtins["tuple"]
    assert isinstance([1], list_) and isinstance("a", str_) and not isinstance((), list_)
    assert issubclass(bool, builtins["int"])
    assert list_("ab") == ["a", "b"] and str_(12) == "12" and tuple_([1]) == (1,)
    assert repr(list_) == "<class 'list'>"
    assert list_[int] == list[int]
    with pytest.raises(TypeError):
        type("Sub", (nn.Module, list_), {})


def test_context_managers(rt: Runtime) -> None:
    assert isinstance(rt.context(torch.no_grad()), torch.no_grad)
    for manager in (
        open,
        print,
        nn.Linear(1, 1),
        torch.autograd.graph.saved_tensors_hooks(print, print),
    ):
        with pytest.raises(SandboxViolation):
            rt.context(manager)


def test_import_module(rt: Runtime) -> None:
    assert rt.attributes.import_module("torch.nn") is torch.nn
    for name in ("os", "torch.utils.cpp_extension", "torch.nn.modules", "numpy.ctypeslib"):
        with pytest.raises(SandboxViolation):
            rt.attributes.import_module(name)
    with pytest.raises(SandboxViolation):
        rt.attributes.import_from("torch", "load")


def test_functions_count_calls_and_depth() -> None:
    rt = Runtime(Limits(max_loop_iterations=5, max_call_depth=3))
    identity = rt.definitions.function(lambda v: v)
    for _ in range(5):
        identity(1)
    assert _limit(identity, 1) == "loop_iterations"

    rt = Runtime(Limits(max_call_depth=3))

    def down(n: int) -> int:
        return wrapped(n + 1)

    wrapped = rt.definitions.function(down)
    assert _limit(wrapped, 0) == "call_depth"


# --- the teaching constructs run, not only pass the policy ---------------------------------------
@pytest.mark.parametrize("name", sorted(TEACHING))
def test_teaching_construct_runs(name: str) -> None:
    record = evaluate(TEACHING[name])
    assert record.refused is None and record.error is None, (record.refused, record.error)


def test_fstrings_and_printing_match_python() -> None:
    record = evaluate(
        "x = [1, 2.5, 'a']\nprint(x, str(x), repr('q'), f'{x} {x!r} {3.14159:.2f} {7:>4}')\n"
        "print('-'.join(['a', 'b']), '%s|%5.1f' % ('s', 2.25), sep=' / ', end='!')"
    )
    assert record.error is None
    assert record.stdout == (
        "[1, 2.5, 'a'] [1, 2.5, 'a'] 'q' [1, 2.5, 'a'] [1, 2.5, 'a'] 3.14    7\na-b / s|  2.2!"
    )


# --- program code that torch runs from inside a torch call keeps the size limits ---------------------
def test_functions_and_generators_run_under_the_limits_inside_torch_calls() -> None:
    from torch.overrides import _pop_mode_temporarily

    from app.language.torch_mode import ProgramMode

    rt = Runtime(Limits())
    with ProgramMode(Limits()):
        make = rt.definitions.function(lambda: torch.ones(100_000, 100_000))
        lazy = rt.definitions.lazy(torch.ones(100_000, 100_000) for _ in range(1))
        with _pop_mode_temporarily():  # as inside ProgramMode.__torch_function__
            with pytest.raises(LimitExceeded):
                make()
            with pytest.raises(LimitExceeded):
                next(lazy)


def test_freeing_the_program_can_wait_until_after_the_answer() -> None:
    """A worker answers first and frees the program's tensors after (``cleanups``)."""
    import gc
    import weakref

    def tensors_of_three() -> dict[int, Any]:
        return {
            id(o): o
            for o in gc.get_objects()
            if type(o) is torch.Tensor and o.requires_grad and list(o.shape) == [3]
        }

    before = tensors_of_three()  # other tests' tensors, alive for their own reasons
    code = "x = torch.ones(3, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"
    cleanups: list[Any] = []
    record = evaluate(code, cleanups=cleanups)
    assert record.ok and record.graph is not None and len(cleanups) == 1
    alive = [weakref.ref(t) for i, t in tensors_of_three().items() if i not in before]
    del before
    assert alive  # x is still held: nothing was freed yet
    cleanups[0]()
    gc.collect()
    assert all(ref() is None for ref in alive)
    assert evaluate(code).ok  # and the next program runs as usual


@pytest.mark.parametrize("target", ["list", "tuple", "set", "str", "torch.Tensor"])
def test_shared_stand_in_classes_cannot_be_changed_by_a_program(target: str) -> None:
    """The stand-ins of list, tuple, set, str and torch.Tensor live as long as the worker,
    so no program may write to them (nothing may carry over to the next program)."""
    for attribute in ("real", "guard", "extra"):
        record = evaluate(f"{target}.{attribute} = 1\n")
        assert record.error is not None and record.error.type == "SandboxViolation", attribute
    assert evaluate("x = list((1, 2))\ny = str(3)\nz = tuple([1])\n").ok
