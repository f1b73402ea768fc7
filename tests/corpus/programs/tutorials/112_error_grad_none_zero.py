# title: the error a learner hits: zeroing .grad before any backward
# expect: match
import torch

w = torch.tensor([1.0, -1.0], requires_grad=True)
for step in range(2):
    w.grad.zero_()
    loss = (w ** 2).sum()
    loss.backward()
