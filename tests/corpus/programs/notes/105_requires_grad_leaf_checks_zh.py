# title: 叶子节点检查：requires_grad_()、is_leaf、grad_fn、detach_()、x.grad 为 None
# expect: match
import torch

x = torch.randn(3)
print(x.requires_grad, x.is_leaf, x.grad_fn)
x.requires_grad_()
print(x.requires_grad, x.is_leaf)
y = x * 2
z = y.mean()
print(f"y 是叶子吗？{y.is_leaf}，y.grad_fn = {type(y.grad_fn).__name__}")
print(f"z.grad_fn = {z.grad_fn.name()}，下一个：{z.grad_fn.next_functions[0][0].name()}")
z.backward()
print("x.grad =", x.grad)
w = y.detach_()
print(w is y, y.requires_grad, y.is_leaf, y.grad_fn)
m = torch.ones(2, 2, requires_grad=True)
n = m.sum(dim=0)
print("结果 n:", n, n.grad_fn.name())
k = torch.zeros(2)
k.requires_grad = True
print(k.is_leaf, (k + 1).is_leaf, torch.ones(2, requires_grad=True).double().is_leaf)
