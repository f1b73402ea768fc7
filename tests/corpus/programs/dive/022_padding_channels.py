# title: 5.2-5.3 填充和步幅、多输入通道和多输出通道、1x1卷积层
# expect: match

import torch
from torch import nn


# 辅助函数：给二维输入补上批量和通道两维，算完再去掉
def comp_conv2d(conv2d, X):
    # 前面加上 批量=1、通道=1 两维
    X = X.view((1, 1) + X.shape)
    Y = conv2d(X)
    return Y.view(Y.shape[2:])  # 只保留高和宽


# padding=1：上下左右各补一圈，3x3的核输出大小不变
conv2d = nn.Conv2d(in_channels=1, out_channels=1, kernel_size=3, padding=1)
X = torch.rand(6, 6)
print(comp_conv2d(conv2d, X).shape)

# 5x3的核，高方向补2、宽方向补1，输出大小仍不变
conv2d = nn.Conv2d(in_channels=1, out_channels=1, kernel_size=(5, 3), padding=(2, 1))
print(comp_conv2d(conv2d, X).shape)

# 步幅
conv2d = nn.Conv2d(1, 1, kernel_size=3, padding=1, stride=2)
print(comp_conv2d(conv2d, X).shape)

conv2d = nn.Conv2d(1, 1, kernel_size=(3, 4), padding=(0, 1), stride=(2, 3))
print(comp_conv2d(conv2d, X).shape)


def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y


# 多输入通道
def corr2d_multi_in(X, K):
    # 每个输入通道各做一次互相关，然后加起来
    res = corr2d(X[0, :, :], K[0, :, :])
    for i in range(1, X.shape[0]):
        res += corr2d(X[i, :, :], K[i, :, :])
    return res


X = torch.tensor([[[1, 0, 2], [2, 1, 0], [0, 3, 1]],
                  [[2, 2, 1], [1, 0, 3], [3, 1, 0]]])
K = torch.tensor([[[1, 2], [0, 1]], [[2, 0], [1, 1]]])

print(corr2d_multi_in(X, K))


# 多输出通道
def corr2d_multi_in_out(X, K):
    # 每个输出通道对应K的一片，结果stack成新的通道维
    return torch.stack([corr2d_multi_in(X, k) for k in K])


K = torch.stack([K, K + 1, K + 2])
print(K.shape)
print(corr2d_multi_in_out(X, K))


# 1x1卷积：每个像素位置上做一次全连接
def corr2d_multi_in_out_1x1(X, K):
    c_i, h, w = X.shape
    c_o = K.shape[0]
    X = X.view(c_i, h * w)
    K = K.view(c_o, c_i)
    Y = torch.mm(K, X)  # 1x1卷积其实就是矩阵乘法
    return Y.view(c_o, h, w)


X = torch.rand(3, 4, 4)
K = torch.rand(2, 3, 1, 1)

Y1 = corr2d_multi_in_out_1x1(X, K)
Y2 = corr2d_multi_in_out(X, K)

print((Y1 - Y2).norm().item() < 1e-6)
