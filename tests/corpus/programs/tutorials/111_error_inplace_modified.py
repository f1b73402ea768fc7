# title: the error a learner hits: a value saved for backward was changed in place
# expect: match
import torch

a = torch.randn(3, requires_grad=True)
b = a.sigmoid()
b.mul_(2)
c = b.sum()
print(c)
c.backward()
