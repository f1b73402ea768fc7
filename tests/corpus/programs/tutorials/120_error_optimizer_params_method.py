# title: the error a learner hits: passing model.parameters without calling it
# expect: match
import torch
import torch.nn as nn

model = nn.Linear(3, 1)
optimizer = torch.optim.Adam(model.parameters, lr=1e-3)
