# title: the error a learner hits: .item() on a batch of losses
# expect: match
import torch
import torch.nn as nn

loss_fn = nn.MSELoss(reduction='none')
pred = torch.tensor([1.0, 2.0, 3.0])
target = torch.tensor([1.5, 2.0, 2.0])
l = loss_fn(pred, target)
print(f"loss: {l.item():.4f}")
