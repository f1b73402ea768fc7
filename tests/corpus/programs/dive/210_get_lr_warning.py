# title: scheduler.get_lr() (deprecated), nn.init on a Sequential by name, named_parameters filter
# expect: match
import torch
from torch import nn

net = nn.Sequential()
net.add_module('hidden', nn.Linear(3, 4))
net.add_module('act', nn.ReLU())
net.add_module('output', nn.Linear(4, 1))
for name, param in net.named_parameters():
    if 'weight' in name:
        nn.init.normal_(param, mean=0, std=0.01)
    else:
        nn.init.constant_(param, 0)
print(net.hidden.bias, net.output.weight.shape)
opt = torch.optim.SGD(net.parameters(), lr=0.5)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
for i in range(3):
    opt.step()
    sched.step()
print(sched.get_lr(), sched.get_last_lr())
