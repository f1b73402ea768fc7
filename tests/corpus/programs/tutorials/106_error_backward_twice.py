# title: the error a learner hits: backward through the graph a second time
# expect: match
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x.exp() * 3).sum()
y.backward()
print(x.grad)
y.backward()
print(x.grad)
