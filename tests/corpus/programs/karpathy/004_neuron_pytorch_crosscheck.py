# title: The same tanh neuron in PyTorch with double-precision scalar tensors, gradients compared
# expect: match

import torch

x1 = torch.Tensor([2.0]).double()                ; x1.requires_grad = True
x2 = torch.Tensor([0.0]).double()                ; x2.requires_grad = True
w1 = torch.Tensor([-3.0]).double()               ; w1.requires_grad = True
w2 = torch.Tensor([1.0]).double()                ; w2.requires_grad = True
b = torch.Tensor([6.8813735870195432]).double()  ; b.requires_grad = True
n = x1*w1 + x2*w2 + b
o = torch.tanh(n)

print(o.data.item())
o.backward()

print('---')
print('x2', x2.grad.item())
print('w2', w2.grad.item())
print('x1', x1.grad.item())
print('w1', w1.grad.item())
print('b ', round(b.grad.item(), 6))

# these are the numbers the hand-rolled Value class produced
expected = {'x1': -1.5, 'w1': 1.0, 'x2': 0.5, 'w2': 0.0}
got = {'x1': x1.grad.item(), 'w1': w1.grad.item(), 'x2': x2.grad.item(), 'w2': w2.grad.item()}
print(all(abs(got[k] - expected[k]) < 1e-6 for k in expected))

# tensors are n-dimensional: a scalar is just a 1-element tensor
print(torch.Tensor([[1, 2, 3], [4, 5, 6]]).shape)
print(x2.data.item(), x2.dtype, n.grad_fn.name(), o.grad_fn.name())
