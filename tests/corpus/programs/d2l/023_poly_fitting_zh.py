# title: 模型选择、欠拟合和过拟合：多项式回归
# expect: match

import math
import numpy as np
import torch
from torch import nn
from torch.utils import data

max_degree = 16  # 特征最多用到x的15次方
n_train, n_test = 80, 80  # 训练样本数、测试样本数
true_w = np.zeros(max_degree)
true_w[0:4] = np.array([4, 1.5, -2.5, 4.8])

features = np.random.normal(size=(n_train + n_test, 1))
np.random.shuffle(features)
poly_features = np.power(features, np.arange(max_degree).reshape(1, -1))
for i in range(max_degree):
    poly_features[:, i] /= math.gamma(i + 1)  # gamma(n) = (n-1)!
labels = np.dot(poly_features, true_w)
labels += np.random.normal(scale=0.1, size=labels.shape)

# 统一转成float32张量
true_w, features, poly_features, labels = [torch.tensor(x, dtype=
    torch.float32) for x in [true_w, features, poly_features, labels]]
print(features[:2], poly_features[:2, :3], labels[:2])

class Accumulator:
    """同时维护n个累加和"""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def __getitem__(self, idx):
        return self.data[idx]

def load_array(data_arrays, batch_size, is_train=True):
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)

def evaluate_loss(net, data_iter, loss):
    """在整个数据集上求平均损失"""
    metric = Accumulator(2)  # [损失之和, 元素个数]
    for X, y in data_iter:
        out = net(X)
        y = y.reshape(out.shape)
        l = loss(out, y)
        metric.add(l.sum(), l.numel())
    return metric[0] / metric[1]

def train(train_features, test_features, train_labels, test_labels,
          num_epochs=40):
    loss = nn.MSELoss(reduction='none')
    input_shape = train_features.shape[-1]
    # 第0列特征恒为1，起到偏置的作用，所以bias=False
    net = nn.Sequential(nn.Linear(input_shape, 1, bias=False))
    batch_size = min(10, train_labels.shape[0])
    train_iter = load_array((train_features, train_labels.reshape(-1, 1)), batch_size)
    test_iter = load_array((test_features, test_labels.reshape(-1, 1)),
                           batch_size, is_train=False)
    trainer = torch.optim.SGD(net.parameters(), lr=0.01)
    for epoch in range(num_epochs):
        for X, y in train_iter:
            l = loss(net(X), y)
            trainer.zero_grad()
            l.mean().backward()
            trainer.step()
        if epoch == 0 or (epoch + 1) % 10 == 0:
            with torch.no_grad():
                print(f'epoch {epoch + 1}, 训练损失 {evaluate_loss(net, train_iter, loss):.4f}, '
                      f'测试损失 {evaluate_loss(net, test_iter, loss):.4f}')
    print('weight:', net[0].weight.data.numpy().round(2))

# 只用前4列（与真实模型的阶数一致）
print('正常拟合:')
train(poly_features[:n_train, :4], poly_features[n_train:, :4],
      labels[:n_train], labels[n_train:])
# 只用前2列：模型太简单
print('欠拟合:')
train(poly_features[:n_train, :2], poly_features[n_train:, :2],
      labels[:n_train], labels[n_train:])
# 用全部16列：模型太复杂、数据又少
print('过拟合:')
train(poly_features[:n_train, :], poly_features[n_train:, :],
      labels[:n_train], labels[n_train:], num_epochs=60)
