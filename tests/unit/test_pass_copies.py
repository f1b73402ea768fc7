"""The gradients a backward pass records (app/walk/pass_copies.py): one copy per tensor and
version, shared by every edge that carried it, with the values PyTorch computed."""

from __future__ import annotations

import torch
from torch import nn

from app.language.torch_mode import ProgramMode
from app.limits import Limits
from app.walk.capture import GraphRecorder
from app.walk.pass_copies import PassCopies


def _recorder() -> GraphRecorder:
    return GraphRecorder(__file__, max_elements=100, max_passes=20, max_records=1000)


def test_gradient_sent_and_received_is_copied_once() -> None:
    recorder = _recorder()
    with ProgramMode(Limits(), recorder):
        w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
        x = torch.tensor([0.5, 0.25, 2.0])
        loss = (w * x).sum()
        loss.backward()
    (recorded,) = recorder.passes
    steps = {type(step.node).__name__: step for step in recorded.steps}
    sent = dict(steps["SumBackward0"].slot_grads)[0]
    received = dict(steps["MulBackward0"].output_grads)[0]
    # SumBackward0 sends MulBackward0 the tensor it then receives: one copy stands for both.
    assert sent is received
    assert isinstance(received, torch.Tensor)
    assert received.tolist() == torch.ones(3).tolist()
    mul_sent = dict(steps["MulBackward0"].slot_grads)[0]
    assert isinstance(mul_sent, torch.Tensor)
    assert mul_sent.tolist() == x.tolist()  # d(w * x)/dw, as PyTorch's w.grad says
    assert w.grad is not None and w.grad.tolist() == x.tolist()


def test_tensor_changed_in_place_is_copied_again() -> None:
    copies = PassCopies(lambda t: t.detach().clone(), share=True)
    grad = torch.tensor([1.0, 2.0])
    first = copies(grad)
    assert copies(grad) is first
    grad.mul_(3)  # a new version: what it holds now is not what was copied
    second = copies(grad)
    assert isinstance(first, torch.Tensor) and isinstance(second, torch.Tensor)
    assert first.tolist() == [1.0, 2.0]
    assert second.tolist() == [3.0, 6.0]


def test_program_with_tensor_hooks_gets_every_gradient_copied() -> None:
    recorder = _recorder()
    with ProgramMode(Limits(), recorder):
        w = torch.tensor([1.0, -2.0], requires_grad=True)
        h = w * 2
        h.register_hook(lambda g: None)
        loss = h.sum()
        loss.backward()
    steps = {type(step.node).__name__: step for step in recorder.passes[0].steps}
    sent = dict(steps["SumBackward0"].slot_grads)[0]
    received = dict(steps["MulBackward0"].output_grads)[0]
    # A hook of the program may change a gradient unseen (through .data): no sharing then.
    assert sent is not received
    assert isinstance(received, torch.Tensor) and received.tolist() == [1.0, 1.0]


def test_module_backward_hook_gets_every_gradient_copied() -> None:
    """A module's full backward hook runs inside the pass (in its BackwardHookFunctionBackward
    nodes) and may change what it is handed through ``.data``, which no version tells: no
    snapshot is shared then, each is the gradient as that step saw it."""
    recorder = _recorder()
    with ProgramMode(Limits(), recorder):
        torch.manual_seed(0)
        layer = nn.Linear(2, 1)

        def scale(module: nn.Module, grad_in: object, grad_out: tuple[torch.Tensor]) -> None:
            grad_out[0].data.mul_(10)

        layer.register_full_backward_hook(scale)
        x = torch.tensor([[1.0, 2.0]], requires_grad=True)
        loss = layer(x).sum()
        loss.backward()
    snapshots = [
        value
        for step in recorder.passes[0].steps
        for _, value in [*step.slot_grads, *step.output_grads]
    ]
    assert len({id(value) for value in snapshots}) == len(snapshots)
    steps = {type(step.node).__name__: step for step in recorder.passes[0].steps}
    received = dict(steps["AddmmBackward0"].output_grads)[0]
    assert isinstance(received, torch.Tensor) and received.tolist() == [[1.0]]  # d loss / d out


def test_post_accumulate_grad_hook_gets_every_gradient_copied() -> None:
    recorder = _recorder()
    with ProgramMode(Limits(), recorder):
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        w.register_post_accumulate_grad_hook(lambda p: None)
        loss = (w * 3).sum()
        loss.backward()
    steps = {type(step.node).__name__: step for step in recorder.passes[0].steps}
    sent = dict(steps["SumBackward0"].slot_grads)[0]
    received = dict(steps["MulBackward0"].output_grads)[0]
    assert sent is not received
    assert w.grad is not None and w.grad.tolist() == [3.0, 3.0]
