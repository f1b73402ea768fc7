# title: MSELoss with shapes (N,1) and (N,): silent broadcast, PyTorch's warning
# expect: match
import torch
import torch.nn as nn

pred = torch.randn(4, 1, requires_grad=True)
target = torch.randn(4)
loss = nn.MSELoss()(pred, target)
print(loss)
loss.backward()
print(pred.grad)
