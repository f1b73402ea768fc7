# title: ModuleList, ModuleDict, ParameterList, register_buffer, named_modules, children
# expect: match
import torch
from torch import nn

class MyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])
        self.acts = nn.ModuleDict({'relu': nn.ReLU(), 'tanh': nn.Tanh()})
        self.scales = nn.ParameterList([nn.Parameter(torch.ones(1) * i) for i in range(3)])
        self.register_buffer('running', torch.zeros(4))

    def forward(self, x, act='relu'):
        for i, layer in enumerate(self.layers):
            x = self.acts[act](layer(x)) * self.scales[i]
        self.running += x.detach().mean(0)
        return x

torch.manual_seed(0)
net = MyNet()
out = net(torch.randn(2, 4), act='tanh').sum()
out.backward()
print(net)
for name, m in net.named_modules():
    print(name, type(m).__name__)
print([type(c).__name__ for c in net.children()])
print(net.running, net.scales[2].grad)
print(sum(p.numel() for p in net.parameters() if p.requires_grad))
print(list(net.state_dict().keys()))
print(len(list(net.modules())), len(list(net.buffers())))
vec = nn.utils.parameters_to_vector(net.parameters())
print(vec.shape)
