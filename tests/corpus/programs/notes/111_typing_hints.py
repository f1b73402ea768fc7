# title: a training helper with type hints from typing
# expect: match
from typing import List, Tuple, Optional
import torch
from torch import nn

def make_batches(x: torch.Tensor, y: torch.Tensor, size: int) -> List[Tuple[torch.Tensor, torch.Tensor]]:
    return [(x[i:i + size], y[i:i + size]) for i in range(0, len(x), size)]

def train(model: nn.Module, batches: List[Tuple[torch.Tensor, torch.Tensor]], lr: float = 0.1,
          clip: Optional[float] = None) -> float:
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    total = 0.0
    for xb, yb in batches:
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        if clip is not None:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        total += loss.item()
    return total / len(batches)

torch.manual_seed(0)
x = torch.randn(40, 3)
y = x.sum(1, keepdim=True)
model = nn.Linear(3, 1)
for epoch in range(3):
    print(epoch, round(train(model, make_batches(x, y, 8), clip=1.0), 4))
