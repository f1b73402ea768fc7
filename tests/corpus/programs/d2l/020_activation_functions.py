# title: Activation functions: ReLU, sigmoid and tanh and their gradients
# expect: match

import torch

x = torch.arange(-6.0, 6.0, 0.5, requires_grad=True)

y = torch.relu(x)
print('relu:', y.detach()[::4])
# retain_graph lets us call backward on y again later
y.backward(torch.ones_like(x), retain_graph=True)
print('grad of relu:', x.grad[::4])

y = torch.sigmoid(x)
print('sigmoid:', y.detach()[::4])
# zero x.grad first, since backward accumulates into it
x.grad.data.zero_()
y.backward(torch.ones_like(x), retain_graph=True)
print('grad of sigmoid:', x.grad[::4])
print('max grad of sigmoid at x=0:', x.grad.max().item())

y = torch.tanh(x)
print('tanh:', y.detach()[::4])
x.grad.data.zero_()
y.backward(torch.ones_like(x), retain_graph=True)
print('grad of tanh:', x.grad[::4])
print('max grad of tanh:', x.grad.max().item())

# pReLU(x) = max(0, x) + alpha * min(0, x)
alpha = torch.tensor(0.1, requires_grad=True)
y = torch.clamp(x, min=0) + alpha * torch.clamp(x, max=0)
y.sum().backward()
print('d sum(prelu) / d alpha:', alpha.grad)

# sigmoid and tanh are related: tanh(x) = 2 * sigmoid(2x) - 1
with torch.no_grad():
    lhs = torch.tanh(x)
    rhs = 2 * torch.sigmoid(2 * x) - 1
print('tanh identity holds:', bool(torch.allclose(lhs, rhs, atol=1e-6)))
