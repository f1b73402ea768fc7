# title: 4.1 模型构造：继承Module类、Sequential、ModuleList、ModuleDict
# expect: match

import torch
from torch import nn
from collections import OrderedDict


class MLP(nn.Module):
    # 在构造函数里定义带参数的层：两个全连接层
    def __init__(self, **kwargs):
        # 先调用 nn.Module 的 __init__
        super(MLP, self).__init__(**kwargs)
        self.hidden = nn.Linear(64, 32)  # 隐藏层
        self.act = nn.ReLU()
        self.output = nn.Linear(32, 5)   # 输出层

    # forward 描述输入x如何一步步变成输出
    def forward(self, x):
        a = self.act(self.hidden(x))
        return self.output(a)


X = torch.rand(3, 64)
net = MLP()
print(net)
print(net(X))


# 自己写一个简化版的 Sequential
class MySequential(nn.Module):
    def __init__(self, *args):
        super(MySequential, self).__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):  # 传进来的是OrderedDict：用它的键做子模块的名字
            for key, module in args[0].items():
                self.add_module(key, module)  # 注册到 self._modules 里
        else:  # 否则按位置编号 0, 1, 2...
            for idx, module in enumerate(args):
                self.add_module(str(idx), module)

    def forward(self, input):
        # 按注册的先后顺序依次调用每个子模块
        for module in self._modules.values():
            input = module(input)
        return input


net = MySequential(
    nn.Linear(64, 32),
    nn.ReLU(),
    nn.Linear(32, 5),
)
print(net)
print(net(X))

net = MySequential(OrderedDict([
    ('fc1', nn.Linear(64, 16)),
    ('act', nn.Tanh()),
    ('fc2', nn.Linear(16, 2)),
]))
print(net)
print(net(X).shape)

# ModuleList：装子模块的列表，本身没有forward
net = nn.ModuleList([nn.Linear(64, 32), nn.ReLU()])
net.append(nn.Linear(32, 5))  # 像list一样append
print(net[-1])  # 像list一样用下标取
print(net)


# 对比：用ModuleList装的层会被注册，用普通list装的不会
class Module_ModuleList(nn.Module):
    def __init__(self):
        super(Module_ModuleList, self).__init__()
        self.linears = nn.ModuleList([nn.Linear(6, 6)])


class Module_List(nn.Module):
    def __init__(self):
        super(Module_List, self).__init__()
        self.linears = [nn.Linear(6, 6)]


net1 = Module_ModuleList()
net2 = Module_List()

print("net1:")
for p in net1.parameters():
    print(p.size())

print("net2:")
for p in net2.parameters():
    print(p)
print('net2的参数个数:', len(list(net2.parameters())))

# ModuleDict：按名字存子模块
net = nn.ModuleDict({
    'linear': nn.Linear(64, 32),
    'act': nn.ReLU(),
})
net['output'] = nn.Linear(32, 5)  # 像字典一样加一项
print(net['linear'])  # 两种取法：下标和属性
print(net.output)
print(net)
