# title: the error a learner hits: view after transpose
# expect: match
import torch

x = torch.arange(12.0).reshape(3, 4)
t = x.t()
print(t.is_contiguous())
print(t.reshape(-1))
print(t.contiguous().view(-1))
print(t.view(-1))
