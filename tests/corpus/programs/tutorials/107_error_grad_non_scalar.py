# title: the error a learner hits: backward on a vector without a gradient argument
# expect: match
import torch

x = torch.randn(3, requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
print(y)
y.backward()
