# title: 7.7-7.8 AdaDelta算法与Adam算法（手动实现 vs torch.optim）
# expect: match

import numpy as np
import torch
from torch import nn
import torch.utils.data as Data

# 合成数据：800个样本，每个样本4个特征
true_w = torch.tensor([[0.7], [-1.2], [0.4], [1.5]])
features = torch.tensor(np.random.normal(0, 1, (800, 4)), dtype=torch.float32)
labels = (features @ true_w).view(-1) + 0.2
labels += torch.tensor(np.random.normal(0, 0.05, size=labels.size()), dtype=torch.float32)


def linreg(X, w, b):
    return torch.mm(X, w) + b


def squared_loss(y_hat, y):
    return ((y_hat - y.view(y_hat.size())) ** 2) / 2


def train_ch7(optimizer_fn, states, hyperparams, features, labels, batch_size=16, num_epochs=2):
    net, loss = linreg, squared_loss
    w = torch.nn.Parameter(torch.tensor(np.random.normal(0, 0.01, size=(features.shape[1], 1)), dtype=torch.float32))
    b = torch.nn.Parameter(torch.zeros(1, dtype=torch.float32))
    data_iter = Data.DataLoader(Data.TensorDataset(features, labels), batch_size, shuffle=True)
    ls = []
    for _ in range(num_epochs):
        for X, y in data_iter:
            l = loss(net(X, w, b), y).mean()
            if w.grad is not None:
                w.grad.data.zero_()
                b.grad.data.zero_()
            l.backward()
            optimizer_fn([w, b], states, hyperparams)
        ls.append(loss(net(features, w, b), labels).mean().item())
    print('loss per epoch:', ['%.6f' % v for v in ls])
    return w, b


# AdaDelta：不需要设学习率
def init_adadelta_states():
    s_w, s_b = torch.zeros((features.shape[1], 1), dtype=torch.float32), torch.zeros(1, dtype=torch.float32)
    delta_w, delta_b = torch.zeros((features.shape[1], 1), dtype=torch.float32), torch.zeros(1, dtype=torch.float32)
    return ((s_w, delta_w), (s_b, delta_b))


def adadelta(params, states, hyperparams):
    rho, eps = hyperparams['rho'], 1e-5
    for p, (s, delta) in zip(params, states):
        s[:] = rho * s + (1 - rho) * (p.grad.data ** 2)
        g = p.grad.data * torch.sqrt((delta + eps) / (s + eps))
        p.data -= g
        delta[:] = rho * delta + (1 - rho) * g * g


train_ch7(adadelta, init_adadelta_states(), {'rho': 0.9}, features, labels)


# Adam：动量 + RMSProp，并做偏差修正
def init_adam_states():
    v_w, v_b = torch.zeros((features.shape[1], 1), dtype=torch.float32), torch.zeros(1, dtype=torch.float32)
    s_w, s_b = torch.zeros((features.shape[1], 1), dtype=torch.float32), torch.zeros(1, dtype=torch.float32)
    return ((v_w, s_w), (v_b, s_b))


def adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        v[:] = beta1 * v + (1 - beta1) * p.grad.data
        s[:] = beta2 * s + (1 - beta2) * p.grad.data ** 2
        v_bias_corr = v / (1 - beta1 ** hyperparams['t'])
        s_bias_corr = s / (1 - beta2 ** hyperparams['t'])
        p.data -= hyperparams['lr'] * v_bias_corr / (torch.sqrt(s_bias_corr) + eps)
    hyperparams['t'] += 1


hyper = {'lr': 0.01, 't': 1}
w, b = train_ch7(adam, init_adam_states(), hyper, features, labels)
print('t =', hyper['t'])
print(true_w.view(-1), '\n', w.data.view(-1), b.data)

# 简洁实现
for optimizer_fn, kwargs in [(torch.optim.Adadelta, {'rho': 0.9}), (torch.optim.Adam, {'lr': 0.01})]:
    net = nn.Sequential(nn.Linear(4, 1))
    loss = nn.MSELoss()
    optimizer = optimizer_fn(net.parameters(), **kwargs)
    for epoch in range(2):
        for X, y in Data.DataLoader(Data.TensorDataset(features, labels), 16, shuffle=True):
            l = loss(net(X).view(-1), y) / 2
            optimizer.zero_grad()
            l.backward()
            optimizer.step()
    print(optimizer_fn.__name__, 'loss: %f' % (loss(net(features).view(-1), labels).item() / 2))
