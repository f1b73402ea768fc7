# title: Lazy initialization with nn.LazyLinear
# expect: match

import torch
from torch import nn

net = nn.Sequential(nn.LazyLinear(64), nn.ReLU(), nn.LazyLinear(3))

# before data flows through, the weight has no shape yet
print(type(net[0].weight).__name__)
print('uninitialized:', isinstance(net[0].weight, nn.parameter.UninitializedParameter))

X = torch.rand(4, 13)
print(net(X).shape)
# the input dimension has been inferred from X
print(net[0].weight.shape)
print(net[2].weight.shape)

# initialization can be applied after the first forward pass
def init_xavier(m):
    if type(m) == nn.Linear:
        nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)

net.apply(init_xavier)
print('biases zeroed:', bool((net[0].bias == 0).all()))

# a custom block using lazy layers
class LazyMLP(nn.Module):
    def __init__(self, num_hiddens, num_outputs):
        super().__init__()
        self.hidden = nn.LazyLinear(num_hiddens)
        self.out = nn.LazyLinear(num_outputs)

    def forward(self, X):
        return self.out(torch.relu(self.hidden(X)))

mlp = LazyMLP(20, 2)
print(mlp(torch.rand(5, 7)).shape)
print([(name, tuple(p.shape)) for name, p in mlp.named_parameters()])
