# title: the error a learner hits: requires_grad on an integer tensor
# expect: match
import torch

x = torch.tensor([1, 2, 3], requires_grad=True)
y = (x * x).sum()
