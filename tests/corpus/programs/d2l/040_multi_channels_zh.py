# title: 多输入多输出通道与1×1卷积层
# expect: match

import torch

def corr2d(X, K):
    """用两重循环实现二维互相关"""
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y

def corr2d_multi_in(X, K):
    # 每个输入通道配一个二维核，各算一次互相关后求和
    return sum(corr2d(x, k) for x, k in zip(X, K))

X = torch.tensor([[[1.0, 0.0, 2.0], [2.0, 3.0, 1.0], [0.0, 1.0, 4.0]],
                  [[2.0, 1.0, 0.0], [1.0, 1.0, 3.0], [4.0, 2.0, 1.0]]])
K = torch.tensor([[[1.0, 1.0], [0.0, 2.0]], [[0.0, 1.0], [1.0, 1.0]]])
print(corr2d_multi_in(X, K))

def corr2d_multi_in_out(X, K):
    # K的每个切片K[i]产生一个输出通道，最后沿新维度堆起来
    return torch.stack([corr2d_multi_in(X, k) for k in K], 0)

K = torch.stack((K, K + 1, K * 2), 0)
print(K.shape)
print(corr2d_multi_in_out(X, K))

def corr2d_multi_in_out_1x1(X, K):
    c_i, h, w = X.shape
    c_o = K.shape[0]
    X = X.reshape((c_i, h * w))
    K = K.reshape((c_o, c_i))
    # 1×1卷积就是在每个像素位置上做同一个矩阵乘法
    Y = torch.matmul(K, X)
    return Y.reshape((c_o, h, w))

X = torch.normal(0, 1, (3, 4, 4))
K = torch.normal(0, 1, (2, 3, 1, 1))
Y1 = corr2d_multi_in_out_1x1(X, K)
Y2 = corr2d_multi_in_out(X, K)
assert float(torch.abs(Y1 - Y2).sum()) < 1e-5
print('1×1卷积等价于矩阵乘法:', Y1.shape)

# 与nn.functional.conv2d的结果比较
import torch.nn.functional as F
Y3 = F.conv2d(X.unsqueeze(0), K).squeeze(0)
print('与F.conv2d一致:', bool(torch.allclose(Y2, Y3, atol=1e-5)))
