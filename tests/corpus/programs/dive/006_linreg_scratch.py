# title: 3.2 线性回归的从零开始实现
# expect: match

import torch
from matplotlib import pyplot as plt
import numpy as np
import random

# 生成数据集
num_inputs = 2
num_examples = 800
true_w = [3, -1.7]
true_b = 2.6
features = torch.tensor(np.random.normal(0, 1, (num_examples, num_inputs)), dtype=torch.float)
labels = true_w[0] * features[:, 0] + true_w[1] * features[:, 1] + true_b
labels += torch.tensor(np.random.normal(0, 0.01, size=labels.size()), dtype=torch.float)

print(features[0], labels[0])


def set_figsize(figsize=(3.5, 2.5)):
    # 统一设置画布大小
    plt.rcParams['figure.figsize'] = figsize


set_figsize()
plt.scatter(features[:, 1].numpy(), labels.numpy(), 1)


# 读取数据
def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)  # 打乱下标，每个epoch读取顺序都不同
    for i in range(0, num_examples, batch_size):
        j = torch.LongTensor(indices[i: min(i + batch_size, num_examples)])  # 末尾那批可能凑不满batch_size
        yield features.index_select(0, j), labels.index_select(0, j)


batch_size = 16

for X, y in data_iter(batch_size, features, labels):
    print(X, '\n', y)
    break

# 参数初始化
w = torch.tensor(np.random.normal(0, 0.01, (num_inputs, 1)), dtype=torch.float32)
b = torch.zeros(1, dtype=torch.float32)

w.requires_grad_(requires_grad=True)
b.requires_grad_(requires_grad=True)


# 定义模型
def linreg(X, w, b):
    return torch.mm(X, w) + b


# 损失函数
def squared_loss(y_hat, y):
    return (y_hat - y.view(y_hat.size())) ** 2 / 2


# 优化算法
def sgd(params, lr, batch_size):
    for param in params:
        param.data -= lr * param.grad / batch_size  # 用param.data原地更新，这一步不会进入计算图


# 训练模型
lr = 0.05
num_epochs = 3
net = linreg
loss = squared_loss

for epoch in range(num_epochs):  # 一共训练num_epochs轮
    # 每一轮把整个训练集按小批量过一遍
    for X, y in data_iter(batch_size, features, labels):
        l = loss(net(X, w, b), y).sum()  # 当前小批量的总损失
        l.backward()  # 反向传播得到w和b的梯度
        sgd([w, b], lr, batch_size)  # 小批量SGD更新一次参数

        # 梯度会累加，所以用完要清零
        w.grad.data.zero_()
        b.grad.data.zero_()
    train_l = loss(net(features, w, b), labels)
    print('epoch %d, loss %f' % (epoch + 1, train_l.mean().item()))

print(true_w, '\n', w)
print(true_b, '\n', b)
