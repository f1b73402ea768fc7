# title: 高阶导数：autograd.grad 的 create_graph、grad_outputs、x.grad.data.zero_()
# expect: match
import torch

x = torch.tensor([3.], requires_grad=True)
y = torch.pow(x, 2)
grad_1 = torch.autograd.grad(y, x, create_graph=True)   # grad_1 = dy/dx = 2x = 2 * 3 = 6
print(grad_1)
grad_2 = torch.autograd.grad(grad_1[0], x)              # grad_2 = d(dy/dx)/dx = d(2x)/dx = 2
print(grad_2)

w = torch.tensor([1.], requires_grad=True)
b = torch.tensor([2.], requires_grad=True)
xs = torch.tensor([1., 2., 3.])
y = w * xs ** 2 + b
dw, db = torch.autograd.grad(outputs=y, inputs=[w, b], grad_outputs=torch.ones_like(y), retain_graph=True)
print(f"dw = {dw}, db = {db}")
y.backward(torch.ones_like(y))
print(w.grad, b.grad)
w.grad.data.zero_()
b.grad.data.zero_()
print("清零后:", w.grad, b.grad)

x = torch.linspace(-1, 1, 5, requires_grad=True)
y = torch.sin(x) * x
dy = torch.autograd.grad(y.sum(), x, create_graph=True)[0]
d2y = torch.autograd.grad(dy.sum(), x, create_graph=True)[0]
d3y = torch.autograd.grad(d2y.sum(), x)[0]
print("一阶:", dy, "\n二阶:", d2y, "\n三阶:", d3y)

x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
y.backward(create_graph=True)
g = x.grad
print(g, g.requires_grad)
x.grad = None
g.backward()
print("二阶导数:", x.grad)
