# title: the error a learner hits: integer data into nn.Linear
# expect: match
import torch
import torch.nn as nn

net = nn.Linear(2, 1)
X = torch.tensor([[1, 2], [3, 4]])
print(X.dtype)
y = net(X)
