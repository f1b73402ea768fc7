# title: 图像卷积：互相关运算、边缘检测与学习卷积核
# expect: match

import torch
from torch import nn

def corr2d(X, K):
    """用两重循环实现二维互相关"""
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y

X = torch.tensor([[1.0, 2.0, 0.0], [3.0, 1.0, 4.0], [0.0, 5.0, 2.0]])
K = torch.tensor([[1.0, 0.0], [0.0, -1.0]])
print(corr2d(X, K))

# 5×9的图像：第3到6列为0，其余为1
X = torch.ones((5, 9))
X[:, 3:7] = 0
print(X)

# 相邻两列做差，只在颜色变化处非零
K = torch.tensor([[1.0, -1.0]])
Y = corr2d(X, K)
print(Y)
# 把图像转置，边缘变成水平的，这个核就全输出0了
print(corr2d(X.t(), K))

# 反过来：只给X和Y，让nn.Conv2d自己学出这个核
conv2d = nn.Conv2d(1, 1, kernel_size=(1, 2), bias=False)

# nn.Conv2d要求四维输入，前两维各补一个1
X = X.reshape((1, 1, 5, 9))
Y = Y.reshape((1, 1, 5, 8))
lr = 1e-2

for i in range(12):
    Y_hat = conv2d(X)
    l = (Y_hat - Y) ** 2
    conv2d.zero_grad()
    l.sum().backward()
    # 手动做一步梯度下降
    conv2d.weight.data[:] -= lr * conv2d.weight.grad
    if (i + 1) % 3 == 0:
        print(f'epoch {i + 1}, 损失 {l.sum():.3f}')

print('学到的卷积核:', conv2d.weight.data.reshape((1, 2)))
