# title: 层和块：自定义块、顺序块与在前向传播中执行代码
# expect: match

import torch
from torch import nn
from torch.nn import functional as F

net = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 5))
X = torch.rand(3, 16)
print(net(X).shape)

class MLP(nn.Module):
    # 在构造函数里创建子层
    def __init__(self):
        # 必须先调用nn.Module.__init__，子模块才能被登记
        super().__init__()
        self.hidden = nn.Linear(16, 64)
        self.out = nn.Linear(64, 5)

    # forward决定数据怎样流过这些子层
    def forward(self, X):
        # 激活函数用函数形式F.relu，不需要单独的层对象
        return self.out(F.relu(self.hidden(X)))

net = MLP()
print(net(X).shape)

class MySequential(nn.Module):
    def __init__(self, *args):
        super().__init__()
        for idx, module in enumerate(args):
            # 登记到_modules（一个OrderedDict），键用'0'、'1'、'2'……
            self._modules[str(idx)] = module

    def forward(self, X):
        # 字典保持插入顺序，所以按传入顺序执行
        for block in self._modules.values():
            X = block(X)
        return X

net = MySequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 5))
print(net(X).shape)
print('子模块个数:', len(net._modules))
print('参数个数:', sum(p.numel() for p in net.parameters()))

class FixedHiddenMLP(nn.Module):
    def __init__(self):
        super().__init__()
        # 普通张量而非nn.Parameter，所以不会被训练
        self.rand_weight = torch.rand((16, 16), requires_grad=False)
        self.linear = nn.Linear(16, 16)

    def forward(self, X):
        X = self.linear(X)
        X = F.relu(torch.mm(X, self.rand_weight) + 1)
        # 第二次调用同一个self.linear，两次用的是同一组权重
        X = self.linear(X)
        # 前向传播里可以写普通的while循环
        while X.abs().sum() > 1:
            X /= 2
        return X.sum()

net = FixedHiddenMLP()
out = net(X)
print('输出是标量:', out.dim() == 0, '绝对值不超过1:', bool(out.abs() <= 1))

class NestMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(16, 48), nn.ReLU(),
                                 nn.Linear(48, 24), nn.ReLU())
        self.linear = nn.Linear(24, 12)

    def forward(self, X):
        return self.linear(self.net(X))

chimera = nn.Sequential(NestMLP(), nn.Linear(12, 16), FixedHiddenMLP())
result = chimera(X)
result.backward()
print('梯度形状:', chimera[0].linear.weight.grad.shape)
print(chimera)
