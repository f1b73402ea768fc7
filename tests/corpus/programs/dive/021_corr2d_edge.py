# title: 5.1 二维卷积层：互相关运算、图像中物体边缘检测、通过数据学习核数组
# expect: match

import torch
from torch import nn


def corr2d(X, K):
    h, w = K.shape
    X, K = X.float(), K.float()
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y


X = torch.tensor([[1, 2, 0], [0, 3, 1], [4, 1, 2]])
K = torch.tensor([[1, 0], [0, -1]])
print(corr2d(X, K))


# 二维卷积层
class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super(Conv2D, self).__init__()
        self.weight = nn.Parameter(torch.randn(kernel_size))
        self.bias = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return corr2d(x, self.weight) + self.bias


# 图像中物体边缘检测：中间4列为黑(0)，其余为白(1)
X = torch.ones(5, 7)
X[:, 2:5] = 0
print(X)

K = torch.tensor([[1, -1]])
Y = corr2d(X, K)
print(Y)

# 反过来：只给X和Y，让模型自己学出卷积核
# 核的形状设成(1, 2)
conv2d = Conv2D(kernel_size=(1, 2))

step = 25
lr = 0.02
for i in range(step):
    Y_hat = conv2d(X)
    l = ((Y_hat - Y) ** 2).sum()
    l.backward()

    # 梯度下降
    conv2d.weight.data -= lr * conv2d.weight.grad
    conv2d.bias.data -= lr * conv2d.bias.grad

    # 梯度清0
    conv2d.weight.grad.fill_(0)
    conv2d.bias.grad.fill_(0)
    if (i + 1) % 5 == 0:
        print('Step %d, loss %.3f' % (i + 1, l.item()))

print("weight: ", conv2d.weight.data)
print("bias: ", conv2d.bias.data)
