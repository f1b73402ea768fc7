# title: 卷积神经网络（LeNet）：逐层查看输出形状
# expect: match

import torch
from torch import nn

net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Flatten(),
    nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
    nn.Linear(120, 84), nn.Sigmoid(),
    nn.Linear(84, 10))

X = torch.rand(size=(1, 1, 28, 28), dtype=torch.float32)
for layer in net:
    X = layer(X)
    print(layer.__class__.__name__, 'output shape: \t', X.shape)

# 统计每一层的参数数量
total = 0
for i, layer in enumerate(net):
    n = sum(p.numel() for p in layer.parameters())
    if n:
        print(f'第{i}层 {layer.__class__.__name__} 参数数量: {n}')
    total += n
print('总参数数量:', total)

# 练习：把Sigmoid换成ReLU、平均汇聚换成最大汇聚
modern = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.ReLU(),
    nn.MaxPool2d(kernel_size=2, stride=2),
    nn.Conv2d(6, 16, kernel_size=5), nn.ReLU(),
    nn.MaxPool2d(kernel_size=2, stride=2),
    nn.Flatten(),
    nn.Linear(400, 120), nn.ReLU(),
    nn.Linear(120, 84), nn.ReLU(),
    nn.Linear(84, 10))
X = torch.rand(size=(4, 1, 28, 28))
print('批量为4时的输出形状:', modern(X).shape)
