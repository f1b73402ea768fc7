# title: parameter access in nested blocks built with add_module, state_dict, shared layers
# expect: match
import torch
from torch import nn

def block1():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(),
                         nn.Linear(8, 4), nn.ReLU())

def block2():
    net = nn.Sequential()
    for i in range(4):
        # 在这里嵌套
        net.add_module(f'block {i}', block1())
    return net

torch.manual_seed(3)
rgnet = nn.Sequential(block2(), nn.Linear(4, 1))
X = torch.rand(size=(2, 4))
print(rgnet(X))
print(rgnet)
print(rgnet[0][1][0].bias.data)
print(*[(name, param.shape) for name, param in rgnet[1].named_parameters()])
print(rgnet.state_dict()['1.bias'].data)
print(type(rgnet[1].bias), rgnet[1].bias.grad == None)

shared = nn.Linear(8, 8)
net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(8, 1))
net(X).sum().backward()
print(net[2].weight.data[0] == net[4].weight.data[0])
net[2].weight.data[0, 0] = 100
print(net[2].weight.data[0] == net[4].weight.data[0])
print(len(list(net.parameters())), sum(p.numel() for p in net.parameters()))
