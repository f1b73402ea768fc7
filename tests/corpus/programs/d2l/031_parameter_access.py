# title: Parameter management: state_dict, named_parameters and nested blocks
# expect: match

import torch
from torch import nn

net = nn.Sequential(nn.Linear(5, 6), nn.ReLU(), nn.Linear(6, 1))
X = torch.rand(size=(3, 5))
print(net(X).shape)

# look at the last Linear layer (index 2)
print(net[2].state_dict())
print(type(net[2].bias))
print(net[2].bias)
print(net[2].bias.data)
# no backward yet, so no gradient
print(net[2].weight.grad == None)

print(*[(name, param.shape) for name, param in net[0].named_parameters()])
print(*[(name, param.shape) for name, param in net.named_parameters()])
print(net.state_dict()['2.bias'].data)

# after a backward pass gradients show up
net(X).sum().backward()
print(net[2].weight.grad.shape)

def block1():
    return nn.Sequential(nn.Linear(5, 10), nn.ReLU(),
                         nn.Linear(10, 5), nn.ReLU())

def block2():
    net = nn.Sequential()
    for i in range(3):
        # nest block1 inside
        net.add_module(f'block {i}', block1())
    return net

rgnet = nn.Sequential(block2(), nn.Linear(5, 1))
print(rgnet(X).shape)
print(rgnet)
# index into the nested structure like a list of lists
print(rgnet[0][1][0].bias.data)
print(len(list(rgnet.parameters())), 'parameter tensors')
print(sum(p.numel() for p in rgnet.parameters()), 'scalars in total')
for name, param in rgnet.named_parameters():
    if name.endswith('2.weight'):
        print(name, tuple(param.shape))
