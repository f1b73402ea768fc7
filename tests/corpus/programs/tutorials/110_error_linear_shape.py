# title: the error a learner hits: wrong in_features for nn.Linear
# expect: match
import torch
from torch import nn

model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 128), nn.ReLU(), nn.Linear(128, 10))
X = torch.rand(4, 1, 28, 28)
print(model(X).shape)
X2 = torch.rand(4, 3, 28, 28)
logits = model(X2)
print(logits.shape)
