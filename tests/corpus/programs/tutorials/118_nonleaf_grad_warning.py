# title: reading .grad of a non-leaf tensor (None, with PyTorch's warning), then retain_grad
# expect: match
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
z = (y ** 2).sum()
z.backward(retain_graph=True)
print(x.grad, y.grad, y.is_leaf)
y.retain_grad()
x.grad = None
z2 = (y ** 2).sum()
z2.backward()
print(x.grad, y.grad)
