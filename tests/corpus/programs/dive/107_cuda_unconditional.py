# title: a notebook that moves everything to the GPU with .cuda()
# expect: refused (gpu)
import torch
from torch import nn

x = torch.tensor([1, 2, 3])
x = x.cuda(0)
print(x.device)
net = nn.Linear(3, 1)
net.cuda()
print(list(net.parameters())[0].device)
