# title: autograd.grad with grad_outputs, allow_unused and retain_graph
# expect: match
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
u = torch.tensor(4.0, requires_grad=True)
y = x * w
gx, gw = torch.autograd.grad(y, (x, w), grad_outputs=torch.ones_like(y), retain_graph=True)
print(gx, gw)
gu, = torch.autograd.grad(y.sum(), [u], allow_unused=True, retain_graph=True)
print(gu)
gx2 = torch.autograd.grad(y.sum(), x, materialize_grads=True)[0]
print(gx2)
z = (x ** 2).sum()
z.backward(inputs=[x])
print(x.grad, w.grad)
