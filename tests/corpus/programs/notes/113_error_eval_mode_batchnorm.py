# title: the error a learner hits: BatchNorm1d in training with a batch of one
# expect: match
import torch
import torch.nn as nn

net = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
x = torch.randn(1, 4)
net.eval()
print(net(x).shape)
net.train()
print(net(x))
