"""Tests for app/examples: the gallery loads, every program runs, and the facts it teaches hold."""

from __future__ import annotations

import ast
import re
from collections import Counter
from types import ModuleType

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from app.examples import Example, ExampleFormatError, get_example, load_examples, parse_example
from app.language import check
from app.language.allowlist import ALLOWLIST
from app.language.runtime import Runtime
from app.limits import Limits
from tests.reference import Reference, reachable_nodes, run_reference

EXAMPLE_IDS = [example.id for example in load_examples()]
CJK = re.compile(r"[\u4e00-\u9fff]")
NODE_NAME = re.compile(r"\b[A-Z][A-Za-z0-9]*Backward\d+\b")

# The modules a program has without importing them (``nn``, ``F``...), as the runtime binds them.
PRE_BOUND = {
    name: value.__name__
    for name, value in Runtime(Limits()).namespace().items()
    if isinstance(value, ModuleType)
}


def example(example_id: str) -> Example:
    """Return the example with this id, failing the test if it is missing."""
    found = get_example(example_id)
    assert found is not None, f"no example {example_id!r}"
    return found


def run(example_id: str) -> Reference:
    """Run one gallery example with plain PyTorch."""
    return run_reference(example(example_id).code)


def grad(ref: Reference, name: str) -> torch.Tensor:
    """Return the .grad of a named leaf, failing the test if it is None."""
    value = ref.leaf_grads[name]
    assert value is not None, f"{name}.grad is None"
    return value


# --- the gallery itself ---------------------------------------------------------------------


def test_gallery_has_at_least_twenty_examples_with_unique_ids() -> None:
    examples = load_examples()
    assert len(examples) >= 20
    assert len({e.id for e in examples}) == len(examples)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", e.id) for e in examples)


@pytest.mark.parametrize("example_id", EXAMPLE_IDS)
def test_titles_and_descriptions_in_both_languages(example_id: str) -> None:
    e = example(example_id)
    assert e.title_en.strip() and e.description_en.strip()
    assert CJK.search(e.title_zh), e.title_zh
    assert CJK.search(e.description_zh), e.description_zh
    assert not CJK.search(e.title_en + e.description_en)


@pytest.mark.parametrize("example_id", EXAMPLE_IDS)
def test_code_has_no_header_and_starts_with_torch_import(example_id: str) -> None:
    code = example(example_id).code
    assert code.startswith("import torch\n")
    assert not re.search(r"^# (title|description)", code, re.MULTILINE)
    assert code.endswith("\n")


def _modules_named(tree: ast.Module) -> dict[str, str]:
    """The program's names for modules (``nn`` -> ``"torch.nn"``), pre-bound ones included."""
    named = dict(PRE_BOUND)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    named[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    named[root] = root
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                path = f"{node.module}.{alias.name}"
                if path in ALLOWLIST.modules:
                    named[alias.asname or alias.name] = path
    return named


def _module_path(node: ast.expr, named: dict[str, str]) -> str | None:
    """The allowlisted module ``node`` stands for (``torch.nn``), or None."""
    if isinstance(node, ast.Name):
        return named.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _module_path(node.value, named)
        path = f"{base}.{node.attr}" if base else None
        return path if path in ALLOWLIST.modules else None
    return None


@pytest.mark.parametrize("example_id", EXAMPLE_IDS)
def test_code_uses_only_allowed_constructs(example_id: str) -> None:
    """Checked against the sandbox's own allowlist (its constructs, modules and names), and
    within it the gallery's own style: torch only, no private names, no format specs."""
    tree = ast.parse(example(example_id).code)
    named = _modules_named(tree)
    for node in ast.walk(tree):
        where = f"line {getattr(node, 'lineno', '?')}"
        assert isinstance(node, check._ALLOWED_NODES), f"{type(node).__name__} at {where}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            modules += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert all(m == "torch" or m.startswith("torch.") for m in modules), where
            assert all(m in ALLOWLIST.importable for m in modules), where
        if isinstance(node, ast.ImportFrom):
            readable = ALLOWLIST.names_of(node.module or "")
            assert all(a.name in readable for a in node.names), where
        if isinstance(node, ast.Attribute) and (module := _module_path(node.value, named)):
            assert node.attr in ALLOWLIST.names_of(module), f"{module}.{node.attr} at {where}"
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            # The one exception: super().__init__() in a Module's __init__.
            is_super_init = (
                node.attr == "__init__"
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
                and node.value.func.id == "super"
            )
            assert is_super_init, f".{node.attr} at {where}"
        if isinstance(node, ast.FormattedValue):
            assert node.format_spec is None, where


def test_scalar_chain_is_exactly_the_textbook_program() -> None:
    assert example("scalar_chain").code == (
        "import torch\n"
        "\n"
        "x = torch.tensor(2.0, requires_grad=True)\n"
        "y = x ** 2 + 3\n"
        "z = y ** 2\n"
        "z.backward()\n"
        "print(x.grad)\n"
    )


def test_load_examples_is_cached_and_returns_a_fresh_list() -> None:
    first = load_examples()
    first.clear()
    second = load_examples()
    assert second and second == load_examples()
    assert second[0] is load_examples()[0]


def test_get_example_unknown_id_is_none() -> None:
    assert get_example("no_such_example") is None


HEADER = "# title: a\n# title_zh: 甲\n# description: d\n# description_zh: 乙\n"


@pytest.mark.parametrize(
    ("file_name", "text"),
    [
        ("scalar_chain.py", HEADER + "\nx\n"),
        ("01_scalar_chain.py", HEADER + "x\n"),
        ("01_scalar_chain.py", HEADER.replace("title", "name", 1) + "\nx\n"),
        ("01_scalar_chain.py", HEADER.replace(": a", ": ") + "\nx\n"),
        ("01_scalar_chain.py", HEADER + "\n\n"),
    ],
    ids=["no-number", "no-blank-line", "unknown-key", "empty-title", "no-code"],
)
def test_parse_example_rejects_malformed_files(file_name: str, text: str) -> None:
    with pytest.raises(ExampleFormatError):
        parse_example(file_name, text)


# --- every program runs with plain PyTorch ----------------------------------------------------


@pytest.mark.parametrize("example_id", EXAMPLE_IDS)
def test_example_runs_and_prints(example_id: str) -> None:
    ref = run(example_id)
    assert ref.stdout.strip()
    assert ref.ops, "the program built no autograd graph"
    assert ref.accumulate_grad_count >= 1


@pytest.mark.parametrize("example_id", EXAMPLE_IDS)
def test_example_is_deterministic(example_id: str) -> None:
    torch.manual_seed(1234)  # a program that forgets manual_seed would print something else
    first = run(example_id).stdout
    assert run(example_id).stdout == first


@pytest.mark.parametrize("example_id", EXAMPLE_IDS)
def test_node_names_in_descriptions_are_in_the_graph(example_id: str) -> None:
    e = example(example_id)
    mentioned = set(NODE_NAME.findall(e.description_en)) | set(NODE_NAME.findall(e.description_zh))
    assert mentioned <= set(run(example_id).ops), mentioned - set(run(example_id).ops)


# --- the facts each example teaches, checked against PyTorch ---------------------------------


def test_scalar_chain_grad_is_56() -> None:
    ref = run("scalar_chain")
    assert grad(ref, "x").item() == 56.0
    assert ref.stdout == "tensor(56.)\n"
    assert ref.ops == {"PowBackward0": 2, "AddBackward0": 1}


def test_two_variables_grads() -> None:
    ref = run("two_variables")
    assert grad(ref, "x").item() == 4.0  # 2x
    assert grad(ref, "y").item() == 27.0  # 3y^2


def test_three_inputs_grads_are_3_6_9() -> None:
    ref = run("three_inputs")
    assert [grad(ref, n).item() for n in "abc"] == [3.0, 6.0, 9.0]


def test_dot_product_grad_is_4x() -> None:
    ref = run("dot_product")
    x = ref.namespace["x"]
    assert torch.equal(grad(ref, "x"), 4 * x.detach())
    assert ref.ops["DotBackward0"] == 1


def test_sum_gradient_is_ones() -> None:
    ref = run("sum_gradient")
    assert torch.equal(grad(ref, "x"), torch.ones(4))


@pytest.mark.parametrize("example_id", ["nonscalar_backward", "sum_then_backward"])
def test_square_grad_is_2x(example_id: str) -> None:
    ref = run(example_id)
    assert torch.equal(grad(ref, "x"), 2 * ref.namespace["x"].detach())


def test_detach_grad_equals_u() -> None:
    ref = run("detach")
    x, u = ref.namespace["x"].detach(), ref.namespace["u"]
    assert torch.equal(grad(ref, "x"), u)
    assert not torch.equal(grad(ref, "x"), 3 * x**2)  # what it would be without detach
    assert u.grad_fn is None and not u.requires_grad


def test_clone_keeps_graph_detach_cuts_it() -> None:
    ref = run("clone_vs_detach")
    a, b = ref.namespace["a"], ref.namespace["b"]
    assert a.grad_fn is not None and a.grad_fn.name() == "CloneBackward0"
    assert b.grad_fn is None and not b.requires_grad
    assert torch.equal(grad(ref, "x"), torch.full((3,), 2.0))  # only the clone path counts


def test_grad_accumulation_doubles_then_zeroes() -> None:
    ref = run("grad_accumulation")
    assert "after two backwards: tensor([4., 8.])" in ref.stdout
    assert torch.equal(grad(ref, "x"), torch.zeros(2))  # zero_() leaves zeros, not None


def test_no_grad_result_is_a_constant() -> None:
    ref = run("no_grad")
    z = ref.namespace["z"]
    assert not z.requires_grad and z.grad_fn is None
    assert torch.equal(grad(ref, "x"), 2 * z)


def test_retain_grad_keeps_grad_on_non_leaf() -> None:
    ref = run("retain_grad")
    h = ref.namespace["h"]
    assert not h.is_leaf and h.retains_grad
    assert torch.equal(h.grad, 2 * h.detach())
    assert torch.equal(grad(ref, "x"), 3 * 2 * h.detach())


def test_broadcasting_grads_sum_over_broadcast_dims() -> None:
    ref = run("broadcasting")
    assert ref.namespace["c"].shape == (3, 2)
    assert torch.equal(grad(ref, "a"), torch.full((3, 1), 2.0))
    assert torch.equal(grad(ref, "b"), torch.full((1, 2), 3.0))


def test_sum_keepdim_matches_torch_autograd_grad() -> None:
    ref = run("sum_keepdim")
    assert ref.namespace["row_sums"].shape == (2, 1)
    x = ref.namespace["x"].detach().clone().requires_grad_(True)
    (expected,) = torch.autograd.grad((x[:, 0] / x.sum(dim=1)).sum(), x)
    assert torch.allclose(grad(ref, "x"), expected)


def test_regression_losses_reductions() -> None:
    ref = run("regression_losses")
    ns = ref.namespace
    diff = ns["pred"].detach() - ns["target"]
    assert torch.allclose(ns["mse_mean"], (diff**2).mean())
    assert torch.allclose(ns["mse_sum"], (diff**2).sum())
    assert torch.allclose(ns["l1_mean"], diff.abs().mean())
    assert torch.allclose(ns["l1_sum"], diff.abs().sum())
    # d/dpred of mean((p-t)^2) + mean(|p-t|); PyTorch takes sign(0) = 0 for |.|.
    assert torch.allclose(grad(ref, "pred"), (2 * diff + diff.sign()) / 3)


def test_cross_entropy_equals_log_softmax_plus_nll() -> None:
    ref = run("cross_entropy")
    ns = ref.namespace
    assert torch.allclose(ns["ce"], ns["nll"])
    assert "equal: True" in ref.stdout
    logits, target = ns["logits"].detach(), ns["target"]
    by_hand = -logits.log_softmax(dim=1)[torch.arange(3), target].mean()
    assert torch.allclose(ns["ce"], by_hand)
    # nn.CrossEntropyLoss is decomposed by autograd into the same two nodes.
    assert ref.ops == {"LogSoftmaxBackward0": 2, "NllLossBackward0": 2}


def test_logistic_regression_grad_and_first_momentum_step() -> None:
    ref = run("logistic_regression")
    ns = ref.namespace
    x, y = ns["x"], ns["y"]
    torch.manual_seed(0)
    initial = nn.Linear(2, 1)  # same seed, same initial parameters as the program
    p = torch.sigmoid(x @ initial.weight.detach().T + initial.bias.detach())
    w_grad, b_grad = (p - y).T @ x / len(x), (p - y).mean(dim=0)
    assert torch.allclose(grad(ref, "linear.weight"), w_grad, atol=1e-6)
    assert torch.allclose(grad(ref, "linear.bias"), b_grad, atol=1e-6)
    # The first SGD step with momentum is a plain step: the momentum buffer starts at the grad.
    expected = initial.weight.detach() - 0.1 * w_grad
    assert torch.allclose(ns["linear"].weight.detach(), expected, atol=1e-6)


def test_mlp_parameters_are_named_leaves() -> None:
    ref = run("mlp_module")
    names = {"model.fc1.weight", "model.fc1.bias", "model.fc2.weight", "model.fc2.bias"}
    assert set(ref.leaf_grads) >= names
    assert all(ref.leaf_grads[n] is not None for n in names)
    assert ref.ops["AddmmBackward0"] == 2 and ref.ops["ReluBackward0"] == 1
    assert ref.accumulate_grad_count == 4


def test_training_loop_loss_decreases() -> None:
    ref = run("training_loop")
    losses = [float(line.split()[1]) for line in ref.stdout.splitlines()]
    assert len(losses) == 3
    assert losses[0] > losses[1] > losses[2]


def test_second_derivative_is_6x() -> None:
    ref = run("second_derivative")
    ns = ref.namespace
    x = ns["x"].detach()
    assert torch.equal(ns["dy_dx"].detach(), 3 * x**2)
    assert torch.equal(ns["d2y_dx2"], 6 * x)
    assert ns["d2y_dx2"].item() == 18.0
    assert "d2y/dx2 = tensor(18.)" in ref.stdout
    assert ns["dy_dx"].grad_fn is not None  # create_graph=True made dy_dx differentiable
    assert ref.leaf_grads["x"] is None  # autograd.grad returns grads; it never fills .grad


def test_matrix_multiply_grads() -> None:
    ref = run("matrix_multiply")
    ns = ref.namespace
    upstream = 2 * ns["y"].detach()
    assert torch.equal(grad(ref, "W"), torch.outer(upstream, ns["x"]))
    assert torch.equal(grad(ref, "b"), upstream)


def test_neuron_grads_match_micrograd() -> None:
    ref = run("neuron")
    expected = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}
    for name, value in expected.items():
        assert grad(ref, name).item() == pytest.approx(value, abs=1e-5), name


# --- the models teachers show next (issue 15) --------------------------------------------------


def _ops(tensor: torch.Tensor) -> Counter[str]:
    return Counter(type(node).__name__ for node in reachable_nodes([tensor]))


def test_small_cnn_drops_out_only_in_train_mode() -> None:
    ref = run("small_cnn")
    ns = ref.namespace
    train, evaluation = _ops(ns["train_loss"]), _ops(ns["eval_loss"])
    assert train["MulBackward0"] == 1 and evaluation["MulBackward0"] == 0  # the dropout mask
    assert train["NativeBatchNormBackward0"] == evaluation["NativeBatchNormBackward0"] == 1
    model, images = ns["model"], ns["images"]
    # One batch in train mode moved the running mean a tenth (momentum 0.1) of the way from 0
    # to the batch's mean, which eval mode then normalises with.
    batch_mean = model[0](images).detach().mean(dim=(0, 2, 3))
    assert torch.allclose(model[1].running_mean, 0.1 * batch_mean, atol=1e-6)
    assert not model.training


def test_residual_block_gradient_is_the_skip_plus_the_block() -> None:
    ref = run("residual_block")
    block, x = ref.namespace["block"], ref.namespace["x"].detach().clone().requires_grad_(True)
    out = block.bn2(block.conv2(F.relu(block.bn1(block.conv1(x)))))
    passes = (out + x > 0).to(x.dtype)  # where the last ReLU lets the gradient through
    (through_block,) = torch.autograd.grad((out * passes).sum(), x)
    assert torch.allclose(grad(ref, "x"), passes + through_block, atol=1e-5)


def test_rnn_unrolled_is_the_tanh_recurrence() -> None:
    ref = run("rnn_unrolled")
    ns = ref.namespace
    cell, xs = ns["cell"], ns["xs"]
    h0 = torch.zeros(1, 3, requires_grad=True)
    h = h0
    for t in range(4):
        h = torch.tanh(
            xs[t] @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh
        )
    assert torch.allclose(h, ns["h"], atol=1e-6)
    (expected,) = torch.autograd.grad(h.pow(2).sum(), h0)
    assert torch.allclose(grad(ref, "h0"), expected, atol=1e-6)
    assert ref.ops["TanhBackward0"] == 4 and ref.ops["AddmmBackward0"] == 8


def test_lstm_and_gru_cells_gate_each_step() -> None:
    ref = run("lstm_gru_cells")
    assert ref.ops["SigmoidBackward0"] == 3 * 3 + 3 * 2
    assert ref.ops["TanhBackward0"] == 3 * 2 + 3 * 1
    ns = ref.namespace
    lstm, xs = ns["lstm"], ns["xs"]
    h, c = torch.zeros(1, 3), torch.zeros(1, 3)
    for t in range(3):
        gates = xs[t] @ lstm.weight_ih.T + lstm.bias_ih + h @ lstm.weight_hh.T + lstm.bias_hh
        i, f, g, o = gates.chunk(4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
    assert torch.allclose(h, ns["h"], atol=1e-6) and torch.allclose(c, ns["c"], atol=1e-6)


def test_attention_head_is_scaled_dot_product_attention() -> None:
    ns = run("attention_head").namespace
    q, k, v = (ns[name].detach() for name in "qkv")
    assert torch.allclose(ns["out"].detach(), F.scaled_dot_product_attention(q, k, v), atol=1e-6)
    assert torch.allclose(ns["weights"].detach().sum(dim=-1), torch.ones(3))


def test_transformer_encoder_layer_is_attention_then_feed_forward() -> None:
    ns = run("transformer_encoder_layer").namespace
    layer, x = ns["layer"], ns["x"]
    attended, _ = layer.self_attn(x, x, x, need_weights=False)
    h = layer.norm1(x + attended)
    expected = layer.norm2(h + layer.linear2(F.relu(layer.linear1(h))))
    assert torch.allclose(ns["y"], expected, atol=1e-5)
    assert ns["loss"].item() == pytest.approx(1.0, abs=1e-3)  # LayerNorm: variance 1


def test_embedding_gradient_reaches_only_the_tokens_used() -> None:
    ref = run("embedding_layernorm")
    embed, norm = ref.namespace["embed"], ref.namespace["norm"]
    weight_grad = grad(ref, "embed.weight")
    assert torch.equal(weight_grad[[2, 4, 5]], torch.zeros(3, 4))
    row = embed.weight[3].detach().requires_grad_(True)
    (once,) = torch.autograd.grad(norm(row)[0], row)
    assert torch.allclose(weight_grad[3], 2 * once, atol=1e-6)  # token 3 is used twice


def test_twenty_layer_mlp_is_twenty_identical_linear_relu_blocks() -> None:
    ref = run("twenty_layer_mlp")
    model, x = ref.namespace["model"], ref.namespace["batch"]
    assert len(model.layers) == 20
    assert all([type(m).__name__ for m in block] == ["Linear", "ReLU"] for block in model.layers)
    assert ref.ops["AddmmBackward0"] == 21 and ref.ops["ReluBackward0"] == 20
    assert ref.accumulate_grad_count == 42
    h = x
    for block in model.layers:
        h = torch.relu(h @ block[0].weight.T + block[0].bias)
    expected = (h @ model.head.weight.T + model.head.bias).pow(2).mean()
    assert torch.allclose(ref.namespace["loss"], expected)
    weight = model.layers[7][0].weight
    (expected_grad,) = torch.autograd.grad(expected, weight)
    assert torch.allclose(grad(ref, "model.layers.7.0.weight"), expected_grad)
