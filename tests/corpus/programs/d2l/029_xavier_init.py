# title: Parameter initialization: default, Gaussian, Xavier and custom schemes
# expect: match

import math
import torch
from torch import nn

net = nn.Sequential(nn.Linear(6, 12), nn.ReLU(), nn.Linear(12, 1))
X = torch.rand(size=(3, 6))
print(net(X).shape)

def init_normal(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, mean=0, std=0.01)
        nn.init.zeros_(m.bias)

net.apply(init_normal)
print(net[0].weight.data[0].abs().max() < 0.1, net[0].bias.data[0])

def init_constant(m):
    if type(m) == nn.Linear:
        nn.init.constant_(m.weight, 1)
        nn.init.zeros_(m.bias)

net.apply(init_constant)
print(net[0].weight.data[0], net[0].bias.data[0])

# different initializers for different layers
def init_xavier(m):
    if type(m) == nn.Linear:
        nn.init.xavier_uniform_(m.weight)

def init_7(m):
    if type(m) == nn.Linear:
        nn.init.constant_(m.weight, 7)

net[0].apply(init_xavier)
net[2].apply(init_7)
bound = math.sqrt(6 / (6 + 12))
print('xavier bound respected:', bool(net[0].weight.data.abs().max() <= bound))
print(net[2].weight.data)

# custom initializer: uniform in [-10, 10], small entries zeroed out
def my_init(m):
    if type(m) == nn.Linear:
        print("Init", *[(name, param.shape)
                        for name, param in m.named_parameters()][0])
        nn.init.uniform_(m.weight, -10, 10)
        m.weight.data *= m.weight.data.abs() >= 5

net.apply(my_init)
w = net[0].weight.data
print('all entries zero or |w| >= 5:', bool(((w == 0) | (w.abs() >= 5)).all()))

# direct manipulation of parameters
net[0].weight.data[:] += 1
net[0].weight.data[0, 0] = 42
print(net[0].weight.data[0, 0])

# Xavier normal keeps the output variance close to the input variance
layer = nn.Linear(200, 200, bias=False)
nn.init.xavier_normal_(layer.weight)
inp = torch.randn(500, 200)
print('output/input variance ratio ~ 1:', round((layer(inp).var() / inp.var()).item(), 1))
