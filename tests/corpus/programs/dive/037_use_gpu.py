# title: 4.6 GPU计算：把Tensor和模型放到显卡上
# expect: refused (gpu)

import torch
from torch import nn

print(torch.cuda.is_available())  # 有没有可用的CUDA
print(torch.cuda.device_count())  # gpu数量
print(torch.cuda.current_device())  # 当前使用的是第几块卡
print(torch.cuda.get_device_name(0))  # 显卡型号

# Tensor的GPU计算
x = torch.tensor([1, 2, 3])
x = x.cuda(0)
print(x)
print(x.device)

y = x ** 2
print(y)
# z = y + x.cpu()  # 一个在GPU一个在CPU，不能直接相加

# 把模型搬到GPU
net = nn.Linear(3, 1)
print(list(net.parameters())[0].device)

net.cuda()
print(list(net.parameters())[0].device)

x = torch.rand(4, 3).cuda()
print(net(x))

# 在GPU上训练几步
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
target = torch.ones(4, 1).cuda()
for i in range(5):
    l = ((net(x) - target) ** 2).mean()
    optimizer.zero_grad()
    l.backward()
    optimizer.step()
    print('step %d, loss %.4f' % (i + 1, l.item()))
