# title: 4.1.3 构造复杂的模型：FancyMLP 与嵌套调用
# expect: match

import torch
from torch import nn


class FancyMLP(nn.Module):
    def __init__(self, **kwargs):
        super(FancyMLP, self).__init__(**kwargs)

        self.rand_weight = torch.rand((16, 16), requires_grad=False)  # 常数矩阵，不参与训练
        self.linear = nn.Linear(16, 16)

    def forward(self, x):
        x = self.linear(x)
        # 乘上常数矩阵，再用函数式的relu
        x = nn.functional.relu(torch.mm(x, self.rand_weight.data) + 1)

        # 同一个linear再用一次，相当于两层共享参数
        x = self.linear(x)
        # 用Python的while/if做控制流，比较前先item()成Python数
        while x.norm().item() > 1:
            x /= 2
        if x.norm().item() < 0.8:
            x *= 10
        return x.sum()


X = torch.rand(3, 16)
net = FancyMLP()
print(net)
out = net(X)
print(out)

# 反向传播看看梯度，rand_weight不是参数，所以只有linear有梯度
out.backward()
for name, param in net.named_parameters():
    print(name, param.grad.shape)
print('rand_weight.grad:', net.rand_weight.grad)


class NestMLP(nn.Module):
    def __init__(self, **kwargs):
        super(NestMLP, self).__init__(**kwargs)
        self.net = nn.Sequential(nn.Linear(24, 20), nn.ReLU())

    def forward(self, x):
        return self.net(x)


# 嵌套调用
net = nn.Sequential(NestMLP(), nn.Linear(20, 16), FancyMLP())

X = torch.rand(3, 24)
print(net)
print(net(X))

# 看看各层的名字
for name, module in net.named_children():
    print(name, '->', module.__class__.__name__)
