# title: Custom layers: a layer without parameters and a linear layer with nn.Parameter
# expect: match

import torch
from torch import nn
import torch.nn.functional as F

class CenteredLayer(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, X):
        return X - X.mean()

layer = CenteredLayer()
print(layer(torch.FloatTensor([2, 4, 6, 8, 10])))

net = nn.Sequential(nn.Linear(6, 32), CenteredLayer())
Y = net(torch.rand(5, 6))
print('mean is ~0:', abs(Y.mean().item()) < 1e-5)

class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_units, units))
        self.bias = nn.Parameter(torch.randn(units,))

    def forward(self, X):
        linear = torch.matmul(X, self.weight.data) + self.bias.data
        return F.relu(linear)

linear = MyLinear(4, 2)
print(linear.weight.shape, linear.weight.requires_grad)
out = linear(torch.rand(3, 4))
print(out.shape, bool((out >= 0).all()))

net = nn.Sequential(MyLinear(32, 6), MyLinear(6, 1))
print(net(torch.rand(2, 32)).shape)
print([name for name, _ in net.named_parameters()])

# a version that keeps the autograd graph (uses the parameters, not .data)
class MyDense(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_units, units) * 0.1)
        self.bias = nn.Parameter(torch.zeros(units))

    def forward(self, X):
        return F.relu(X @ self.weight + self.bias)

dense = MyDense(4, 3)
dense(torch.rand(2, 4)).sum().backward()
print('weight grad:', dense.weight.grad.shape, 'bias grad:', dense.bias.grad.shape)

# a layer that reduces: y_k = sum_{i,j} W_ijk x_i x_j
class TensorReduction(nn.Module):
    def __init__(self, in_units, out_units):
        super().__init__()
        self.W = nn.Parameter(torch.randn(in_units, in_units, out_units) * 0.1)

    def forward(self, X):
        return torch.einsum('bi,bj,ijk->bk', X, X, self.W)

print(TensorReduction(3, 2)(torch.rand(4, 3)).shape)
