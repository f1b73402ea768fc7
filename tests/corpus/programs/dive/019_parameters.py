# title: 4.2 模型参数的访问、初始化和共享
# expect: match

import torch
from torch import nn
from torch.nn import init

net = nn.Sequential(nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 1))  # 各层已经带默认初始化

print(net)
X = torch.rand(3, 5)
Y = net(X).sum()

# 按名字遍历参数
print(type(net.named_parameters()).__name__)
for name, param in net.named_parameters():
    print(name, param.size())

for name, param in net[0].named_parameters():
    print(name, param.size(), type(param))


class MyModel(nn.Module):
    def __init__(self, **kwargs):
        super(MyModel, self).__init__(**kwargs)
        self.weight1 = nn.Parameter(torch.rand(6, 6))
        self.weight2 = torch.rand(6, 6)

    def forward(self, x):
        pass


n = MyModel()
for name, param in n.named_parameters():
    print(name)  # 只有weight1；weight2只是普通Tensor，不会被注册

weight_0 = list(net[0].parameters())[0]
print(weight_0.data)
print(weight_0.grad)  # 还没反向传播，grad是None
Y.backward()
print(weight_0.grad)

# 参数初始化
for name, param in net.named_parameters():
    if 'weight' in name:
        init.normal_(param, mean=0, std=0.01)
        print(name, param.data)

for name, param in net.named_parameters():
    if 'bias' in name:
        init.constant_(param, val=0)
        print(name, param.data)


# 自己写一个初始化：先在[-10, 10]均匀采样，再把绝对值小于5的置0
def init_weight_(tensor):
    with torch.no_grad():
        tensor.uniform_(-10, 10)
        tensor *= (tensor.abs() >= 5).float()


for name, param in net.named_parameters():
    if 'weight' in name:
        init_weight_(param)
        print(name, param.data)

# 直接改 .data 也能改参数值
for name, param in net.named_parameters():
    if 'bias' in name:
        param.data += 2
        print(name, param.data)

# 同一个层放两次，两层就共享参数
linear = nn.Linear(1, 1, bias=False)
net = nn.Sequential(linear, linear)
print(net)
for name, param in net.named_parameters():
    init.constant_(param, val=2)
    print(name, param.data)

# 两个位置放的是同一个对象
print(id(net[0]) == id(net[1]))
print(id(net[0].weight) == id(net[1].weight))

# 共享的参数在反向传播时梯度会加在一起
x = torch.ones(1, 1)
y = net(x).sum()
print(y)
y.backward()
print(net[0].weight.grad)  # y = w*w*x，dy/dw = 2wx = 4
