# title: 旧版PyTorch写法：Variable、FloatTensor、x.data、type() 转换
# expect: match
import torch
from torch.autograd import Variable

x = Variable(torch.ones(2, 2), requires_grad=True)
print(x)
y = x + 2
print(y.grad_fn.name())
z = y * y * 3
out = z.mean()
print(z, out)
out.backward()
print(x.grad)

a = torch.FloatTensor([[1, 2], [3, 4]])
b = torch.Tensor(2, 3).zero_()
c = torch.LongTensor([1, 2])
print(a.type(), b.shape, c.dtype)
d = a.type(torch.DoubleTensor)
print(d.dtype, a.data.norm(), a.new_ones(2), a.new_tensor([5.0]))
v = Variable(torch.randn(3))
print(v.requires_grad, v.data.shape)
e = torch.IntTensor(2).fill_(7)
print(e, torch.ByteTensor([1, 0]).dtype, torch.cuda.FloatTensor if False else None)
