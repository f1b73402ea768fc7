# title: 向量对向量求导：torch.autograd.backward 的 grad_tensors 与 y.backward(gradient=...)
# expect: match
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)     # retain_grad()
b = torch.add(w, 1)
y0 = torch.mul(a, b)    # y0 = (x+w) * (w+1)
y1 = torch.add(a, b)    # y1 = (x+w) + (w+1)    dy1/dw = 2
loss = torch.cat([y0, y1], dim=0)       # [y0, y1]
grad_tensors = torch.tensor([1., 2.])
loss.backward(gradient=grad_tensors)    # gradient 传入 torch.autograd.backward()中的grad_tensors
print(w.grad)

x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x ** 2
torch.autograd.backward(tensors=[y], grad_tensors=[torch.tensor([1., 0.1, 0.01])])
print(x.grad)
x.grad.zero_()
y = x * x
y.backward(torch.ones_like(y))
print(x.grad)
