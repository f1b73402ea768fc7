# title: Second derivatives with create_graph=True and torch.autograd.grad
# expect: match

import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 4 - 3 * x ** 2 + x

# first derivative, keeping the graph so it can be differentiated again
(dy_dx,) = torch.autograd.grad(y, x, create_graph=True)
print("dy/dx   =", dy_dx.item())    # 4x^3 - 6x + 1
(d2y_dx2,) = torch.autograd.grad(dy_dx, x)
print("d2y/dx2 =", d2y_dx2.item())  # 12x^2 - 6

# the same through .backward(create_graph=True)
z = torch.tensor(0.5, requires_grad=True)
f = torch.sin(z) * z
f.backward(create_graph=True)
first = z.grad.clone()
print(round(first.item(), 6), first.requires_grad)
z.grad = None
first.backward()
print(round(z.grad.item(), 6))

# a derivative table for tanh, one order at a time
t = torch.linspace(-2, 2, 5, requires_grad=True)
g = torch.tanh(t)
for order in range(1, 4):
    (g,) = torch.autograd.grad(g.sum(), t, create_graph=True)
    print(order, g.detach().round(decimals=4))

# gradient penalty: penalise the norm of d(out)/d(input)
net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
inp = torch.randn(6, 4, requires_grad=True)
out = net(inp)
(grad_inp,) = torch.autograd.grad(out.sum(), inp, create_graph=True)
penalty = ((grad_inp.norm(2, dim=1) - 1) ** 2).mean()
penalty.backward()
print(penalty.item() >= 0, net[0].weight.grad.shape)
