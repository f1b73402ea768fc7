# title: an in-place change to a tensor saved for backward fails at backward
# expect: match
import torch

a = torch.randn(3, requires_grad=True)
b = a.sigmoid()
c = b * 2
print(b._version)
b.mul_(2)
print(b._version)
c.sum().backward()
