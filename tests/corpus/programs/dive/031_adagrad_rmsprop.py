# title: 7.5-7.6 AdaGrad算法与RMSProp算法（手动实现 vs torch.optim）
# expect: match

import math
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


def adagrad_2d(x1, x2, s1, s2):
    g1, g2, eps = 0.2 * x1, 4 * x2, 1e-6  # g1, g2 是两个自变量的梯度
    s1 += g1 ** 2
    s2 += g2 ** 2
    x1 -= eta / math.sqrt(s1 + eps) * g1
    x2 -= eta / math.sqrt(s2 + eps) * g2
    return x1, x2, s1, s2


def rmsprop_2d(x1, x2, s1, s2):
    g1, g2, eps = 0.2 * x1, 4 * x2, 1e-6
    s1 = gamma * s1 + (1 - gamma) * g1 ** 2
    s2 = gamma * s2 + (1 - gamma) * g2 ** 2
    x1 -= eta / math.sqrt(s1 + eps) * g1
    x2 -= eta / math.sqrt(s2 + eps) * g2
    return x1, x2, s1, s2


eta = 0.4
train_2d(adagrad_2d)
eta = 2
train_2d(adagrad_2d)
eta, gamma = 0.4, 0.9
train_2d(rmsprop_2d)

# 合成的回归数据
features = torch.randn(1000, 5)
labels = features @ torch.tensor([1.0, -0.5, 0.3, 0.0, 2.0]) + 0.1 * torch.randn(1000)
data_iter = Data.DataLoader(Data.TensorDataset(features, labels), batch_size=10, shuffle=True)


def train_ch7(optimizer_fn, states, hyperparams, num_epochs=2):
    w = torch.nn.Parameter(torch.tensor(np.random.normal(0, 0.01, size=(5, 1)), dtype=torch.float32))
    b = torch.nn.Parameter(torch.zeros(1, dtype=torch.float32))
    for _ in range(num_epochs):
        for X, y in data_iter:
            l = ((torch.mm(X, w) + b - y.view(-1, 1)) ** 2 / 2).mean()
            if w.grad is not None:
                w.grad.data.zero_()
                b.grad.data.zero_()
            l.backward()
            optimizer_fn([w, b], states, hyperparams)
    full = ((torch.mm(features, w) + b - labels.view(-1, 1)) ** 2 / 2).mean().item()
    print('loss: %f' % full)


def init_states():
    s_w = torch.zeros((features.shape[1], 1), dtype=torch.float32)
    s_b = torch.zeros(1, dtype=torch.float32)
    return (s_w, s_b)


def adagrad(params, states, hyperparams):
    eps = 1e-6
    for p, s in zip(params, states):
        s.data += (p.grad.data ** 2)
        p.data -= hyperparams['lr'] * p.grad.data / torch.sqrt(s + eps)


def rmsprop(params, states, hyperparams):
    gamma, eps = hyperparams['gamma'], 1e-6
    for p, s in zip(params, states):
        s.data = gamma * s.data + (1 - gamma) * (p.grad.data) ** 2
        p.data -= hyperparams['lr'] * p.grad.data / torch.sqrt(s + eps)


train_ch7(adagrad, init_states(), {'lr': 0.1})
train_ch7(rmsprop, init_states(), {'lr': 0.01, 'gamma': 0.9})


# 简洁实现
def train_pytorch_ch7(optimizer_fn, optimizer_hyperparams, num_epochs=2):
    net = nn.Sequential(nn.Linear(features.shape[-1], 1))
    loss = nn.MSELoss()
    optimizer = optimizer_fn(net.parameters(), **optimizer_hyperparams)
    for _ in range(num_epochs):
        for X, y in data_iter:
            l = loss(net(X).view(-1), y) / 2
            optimizer.zero_grad()
            l.backward()
            optimizer.step()
    print('loss: %f' % (loss(net(features).view(-1), labels).item() / 2))


train_pytorch_ch7(torch.optim.Adagrad, {'lr': 0.1})
train_pytorch_ch7(torch.optim.RMSprop, {'lr': 0.01, 'alpha': 0.9})
