# title: 7.4 动量法：二维轨迹、从零开始实现和简洁实现
# expect: match

import numpy as np
import torch
from torch import nn
import torch.utils.data as Data


def train_2d(trainer):
    x1, x2, s1, s2 = -5, -2, 0, 0
    results = [(x1, x2)]
    for i in range(20):
        x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        results.append((x1, x2))
    print('epoch %d, x1 %f, x2 %f' % (i + 1, x1, x2))
    return results


def f_2d(x1, x2):
    return 0.1 * x1 ** 2 + 2 * x2 ** 2


eta = 0.4


def gd_2d(x1, x2, s1, s2):
    return (x1 - eta * 0.2 * x1, x2 - eta * 4 * x2, 0, 0)


train_2d(gd_2d)
eta = 0.6  # 学习率大一点，x2方向会发散
train_2d(gd_2d)


def momentum_2d(x1, x2, v1, v2):
    v1 = gamma * v1 + eta * 0.2 * x1
    v2 = gamma * v2 + eta * 4 * x2
    return x1 - v1, x2 - v2, v1, v2


eta, gamma = 0.4, 0.5
train_2d(momentum_2d)
eta = 0.6
train_2d(momentum_2d)

# 用合成数据代替NASA翼型噪声数据集：1500个样本，每个样本5个特征
data = np.random.normal(0, 1, (1500, 6))
data[:, -1] = data[:, :-1] @ np.array([0.5, -0.3, 0.2, 0.1, -0.4]) + 0.3 * data[:, -1]
data = (data - data.mean(axis=0)) / data.std(axis=0)  # 标准化
features = torch.tensor(data[:, :-1], dtype=torch.float32)
labels = torch.tensor(data[:, -1], dtype=torch.float32)


def linreg(X, w, b):
    return torch.mm(X, w) + b


def squared_loss(y_hat, y):
    return ((y_hat - y.view(y_hat.size())) ** 2) / 2


def train_ch7(optimizer_fn, states, hyperparams, features, labels, batch_size=10, num_epochs=2):
    net, loss = linreg, squared_loss
    w = torch.nn.Parameter(torch.tensor(np.random.normal(0, 0.01, size=(features.shape[1], 1)), dtype=torch.float32),
                           requires_grad=True)
    b = torch.nn.Parameter(torch.zeros(1, dtype=torch.float32), requires_grad=True)

    def eval_loss():
        return loss(net(features, w, b), labels).mean().item()

    ls = [eval_loss()]
    data_iter = Data.DataLoader(Data.TensorDataset(features, labels), batch_size, shuffle=True)
    for _ in range(num_epochs):
        for batch_i, (X, y) in enumerate(data_iter):
            l = loss(net(X, w, b), y).mean()  # 这里用平均损失
            if w.grad is not None:
                w.grad.data.zero_()
                b.grad.data.zero_()
            l.backward()
            optimizer_fn([w, b], states, hyperparams)  # 用传进来的更新规则改参数
            if (batch_i + 1) * batch_size % 100 == 0:
                ls.append(eval_loss())  # 每过100个样本记一次全量数据上的损失
    print('loss: %f' % ls[-1])
    return ls


def init_momentum_states():
    v_w = torch.zeros((features.shape[1], 1), dtype=torch.float32)
    v_b = torch.zeros(1, dtype=torch.float32)
    return (v_w, v_b)


def sgd_momentum(params, states, hyperparams):
    for p, v in zip(params, states):
        v.data = hyperparams['momentum'] * v.data + hyperparams['lr'] * p.grad.data
        p.data -= v.data


train_ch7(sgd_momentum, init_momentum_states(), {'lr': 0.02, 'momentum': 0.5}, features, labels)
train_ch7(sgd_momentum, init_momentum_states(), {'lr': 0.02, 'momentum': 0.9}, features, labels)
train_ch7(sgd_momentum, init_momentum_states(), {'lr': 0.004, 'momentum': 0.9}, features, labels)

# 简洁实现
net = nn.Sequential(nn.Linear(features.shape[-1], 1))
loss = nn.MSELoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.004, momentum=0.9)
for epoch in range(2):
    for X, y in Data.DataLoader(Data.TensorDataset(features, labels), 10, shuffle=True):
        l = loss(net(X).view(-1), y) / 2  # 除以2是为了和squared_loss保持一致
        optimizer.zero_grad()
        l.backward()
        optimizer.step()
print('loss: %f' % (loss(net(features).view(-1), labels).item() / 2))
