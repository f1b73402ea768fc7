# title: the error a learner hits: updating a leaf in place outside no_grad
# expect: match
import torch

w = torch.randn(2, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
X = torch.randn(8, 2)
y = X @ torch.tensor([[2.0], [-3.4]]) + 4.2
lr = 0.03
for epoch in range(3):
    l = ((X @ w + b - y) ** 2 / 2).mean()
    l.backward()
    w -= lr * w.grad
    b -= lr * b.grad
    print(epoch, l.item())
