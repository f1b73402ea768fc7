# title: detach() 与 .data 的区别：共享内存、原地修改能不能被autograd发现
# expect: match
import torch

a = torch.tensor([1, 2, 3.], requires_grad=True)
print(a.grad)
out = a.sigmoid()
c = out.data
c.zero_()
print(out, c.requires_grad, out.is_leaf)
out.sum().backward()
print("用 .data 修改后梯度不对，却没有报错:", a.grad)

a = torch.tensor([1, 2, 3.], requires_grad=True)
out = a.sigmoid()
c = out.detach()
print(c.requires_grad, c.is_leaf, c.grad_fn)
c[0] = 100
print(out)
c.zero_()
print(out)
out.sum().backward()
