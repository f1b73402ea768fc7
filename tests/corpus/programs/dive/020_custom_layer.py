# title: 4.4 自定义层：不含模型参数的层与含模型参数的层(ParameterList/ParameterDict)
# expect: match

import torch
from torch import nn


# 自定义层（没有参数）：输出减去均值
class CenteredLayer(nn.Module):
    def __init__(self, **kwargs):
        super(CenteredLayer, self).__init__(**kwargs)

    def forward(self, x):
        return x - x.mean()


layer = CenteredLayer()
print(layer(torch.tensor([2, 4, 6, 8, 10], dtype=torch.float)))

net = nn.Sequential(nn.Linear(6, 64), CenteredLayer())
y = net(torch.rand(5, 6))
print('%.6f' % y.mean().item())  # 减过均值，结果的均值是0（浮点误差范围内）


# 带参数的自定义层：用 ParameterList 存一串矩阵
class MyListDense(nn.Module):
    def __init__(self):
        super(MyListDense, self).__init__()
        self.params = nn.ParameterList([nn.Parameter(torch.randn(3, 3)) for i in range(3)])
        self.params.append(nn.Parameter(torch.randn(3, 1)))

    def forward(self, x):
        for i in range(len(self.params)):
            x = torch.mm(x, self.params[i])
        return x


net = MyListDense()
print(net)


# 用 ParameterDict 按名字存参数
class MyDictDense(nn.Module):
    def __init__(self):
        super(MyDictDense, self).__init__()
        self.params = nn.ParameterDict({
            'linear1': nn.Parameter(torch.randn(3, 3)),
            'linear2': nn.Parameter(torch.randn(3, 1))
        })
        self.params.update({'linear3': nn.Parameter(torch.randn(3, 2))})  # update 再加一个

    def forward(self, x, choice='linear1'):
        return torch.mm(x, self.params[choice])


net = MyDictDense()
print(net)
print(net.params.keys())

x = torch.ones(1, 3)
print(net(x, 'linear1'))
print(net(x, 'linear2'))
print(net(x, 'linear3'))

# 自定义层可以直接放进 Sequential 里
net = nn.Sequential(
    MyDictDense(),
    MyListDense(),
)
print(net)
out = net(x)
print(out)

# 反向传播，看看哪些参数有梯度
out.sum().backward()
for name, p in net.named_parameters():
    print(name, p.grad is not None)
