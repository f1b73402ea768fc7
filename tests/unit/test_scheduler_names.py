"""Names older course notes call on a learning-rate scheduler, compared with plain PyTorch."""

from __future__ import annotations

from app.evaluate import evaluate
from tests.reference import run_reference


def test_get_lr_as_in_plain_pytorch() -> None:
    code = (
        "net = nn.Linear(3, 1)\n"
        "opt = torch.optim.SGD(net.parameters(), lr=0.5)\n"
        "sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)\n"
        "for i in range(3):\n    opt.step()\n    sched.step()\n"
        "print(sched.get_lr(), sched.get_last_lr())\n"
        "step = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.1)\n"
        "print(step.get_lr())\n"
    )
    record = evaluate(code)
    assert record.error is None, record.error
    assert record.stdout == run_reference(code).stdout
