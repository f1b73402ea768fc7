# title: 5.4 池化层：最大池化和平均池化、填充和步幅、多通道
# expect: match

import torch
from torch import nn


def pool2d(X, pool_size, mode='max'):
    X = X.float()
    p_h, p_w = pool_size
    Y = torch.zeros(X.shape[0] - p_h + 1, X.shape[1] - p_w + 1)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            if mode == 'max':
                Y[i, j] = X[i: i + p_h, j: j + p_w].max()
            elif mode == 'avg':
                Y[i, j] = X[i: i + p_h, j: j + p_w].mean()
    return Y


X = torch.tensor([[3, 1, 4], [1, 5, 9], [2, 6, 5]])
print(pool2d(X, (2, 2)))
print(pool2d(X, (2, 2), 'avg'))

# 填充和步幅
X = torch.arange(25, dtype=torch.float).view((1, 1, 5, 5))
print(X)

# 不写stride时，步幅等于窗口大小
pool2d = nn.MaxPool2d(3)
print(pool2d(X))

pool2d = nn.MaxPool2d(3, padding=1, stride=2)
print(pool2d(X))

pool2d = nn.MaxPool2d((2, 3), padding=(1, 1), stride=(2, 3))
print(pool2d(X))

# 两个通道：池化是逐通道做的，通道数不变
X = torch.cat((X, X + 1), dim=1)
print(X.shape)

pool2d = nn.MaxPool2d(3, padding=1, stride=2)
print(pool2d(X))

avg = nn.AvgPool2d(2, stride=1)
out = avg(X)
print(out.shape)
print(out[0, 1])
