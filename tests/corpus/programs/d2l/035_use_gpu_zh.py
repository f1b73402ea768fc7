# title: GPU计算：在GPU上存储张量和运行模型
# expect: refused (gpu)

import torch
from torch import nn

print(torch.device('cpu'), torch.device('cuda'), torch.device('cuda:1'))
print(torch.cuda.device_count())

def try_gpu(i=0):
    """有第i块GPU就用它，没有就退回到CPU"""
    if torch.cuda.device_count() >= i + 1:
        return torch.device(f'cuda:{i}')
    return torch.device('cpu')

def try_all_gpus():
    """列出全部GPU；一块都没有时返回只含CPU的列表"""
    devices = [torch.device(f'cuda:{i}')
               for i in range(torch.cuda.device_count())]
    return devices if devices else [torch.device('cpu')]

print(try_gpu(), try_gpu(10), try_all_gpus())

x = torch.tensor([1, 2, 3])
print(x.device)

# 在第一块和第二块GPU上分别创建张量
X = torch.ones(2, 3, device='cuda:0')
Y = torch.rand(2, 3, device='cuda:1')
Z = X.cuda(1)
print(X)
print(Z)
print(Y + Z)
print(Z.cuda(1) is Z)

net = nn.Sequential(nn.Linear(3, 1))
net = net.to(device='cuda:0')
print(net(X))
print(net[0].weight.data.device)
