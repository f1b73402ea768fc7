# title: AdaGrad与RMSProp：二维函数上的轨迹与从零开始实现
# expect: match

import math
import torch
from torch.utils import data

def train_2d(trainer, steps=20):
    """从(-5, -2)出发，反复调用trainer"""
    x1, x2, s1, s2 = -5, -2, 0, 0
    results = [(x1, x2)]
    for i in range(steps):
        x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        results.append((x1, x2))
    print(f'第{i + 1}步: x1 = {float(x1):f}, x2 = {float(x2):f}')
    return results

def f_2d(x1, x2):
    return 0.1 * x1 ** 2 + 2 * x2 ** 2

def adagrad_2d(x1, x2, s1, s2):
    eps = 1e-6
    g1, g2 = 0.2 * x1, 4 * x2
    s1 += g1 ** 2
    s2 += g2 ** 2
    x1 -= eta / math.sqrt(s1 + eps) * g1
    x2 -= eta / math.sqrt(s2 + eps) * g2
    return x1, x2, s1, s2

eta = 0.4
train_2d(adagrad_2d)
eta = 2
train_2d(adagrad_2d)

def rmsprop_2d(x1, x2, s1, s2):
    g1, g2, eps = 0.2 * x1, 4 * x2, 1e-6
    s1 = gamma * s1 + (1 - gamma) * g1 ** 2
    s2 = gamma * s2 + (1 - gamma) * g2 ** 2
    x1 -= eta / math.sqrt(s1 + eps) * g1
    x2 -= eta / math.sqrt(s2 + eps) * g2
    return x1, x2, s1, s2

eta, gamma = 0.4, 0.9
train_2d(rmsprop_2d)

# 合成的回归数据代替翼型数据集
features = torch.randn(500, 4)
targets = features @ torch.tensor([1.0, -0.5, 0.2, 0.7]) + 0.1 * torch.randn(500)
data_iter = data.DataLoader(data.TensorDataset(features, targets), 10, shuffle=True)
feature_dim = 4

def init_states(feature_dim):
    s_w = torch.zeros((feature_dim, 1))
    s_b = torch.zeros(1)
    return (s_w, s_b)

def adagrad(params, states, hyperparams):
    eps = 1e-6
    for p, s in zip(params, states):
        with torch.no_grad():
            s[:] += torch.square(p.grad)
            p[:] -= hyperparams['lr'] * p.grad / torch.sqrt(s + eps)
        p.grad.data.zero_()

def rmsprop(params, states, hyperparams):
    gamma, eps = hyperparams['gamma'], 1e-6
    for p, s in zip(params, states):
        with torch.no_grad():
            s[:] = gamma * s + (1 - gamma) * torch.square(p.grad)
            p[:] -= hyperparams['lr'] * p.grad / torch.sqrt(s + eps)
        p.grad.data.zero_()

def train_ch11(trainer_fn, states, hyperparams, num_epochs=2):
    w = torch.normal(mean=0.0, std=0.01, size=(feature_dim, 1), requires_grad=True)
    b = torch.zeros((1), requires_grad=True)
    net = lambda X: torch.matmul(X, w) + b
    loss = lambda y_hat, y: (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
    for epoch in range(num_epochs):
        for X, y in data_iter:
            l = loss(net(X), y).mean()
            l.backward()
            trainer_fn([w, b], states, hyperparams)
        with torch.no_grad():
            print(f'  epoch {epoch + 1}, 损失: {float(loss(net(features), targets).mean()):.4f}')

print('AdaGrad:')
train_ch11(adagrad, init_states(feature_dim), {'lr': 0.1})
print('RMSProp:')
train_ch11(rmsprop, init_states(feature_dim), {'lr': 0.01, 'gamma': 0.9})

# 换用torch.optim里现成的优化器
for name, trainer_fn, hp in [('Adagrad', torch.optim.Adagrad, {'lr': 0.1}),
                             ('RMSprop', torch.optim.RMSprop, {'lr': 0.01, 'alpha': 0.9})]:
    net = torch.nn.Linear(4, 1)
    optimizer = trainer_fn(net.parameters(), **hp)
    for X, y in data_iter:
        optimizer.zero_grad()
        l = torch.nn.functional.mse_loss(net(X), y.reshape(-1, 1))
        l.backward()
        optimizer.step()
    with torch.no_grad():
        print(f'{name}（简洁实现）损失: {torch.nn.functional.mse_loss(net(features), targets.reshape(-1, 1)).item() / 2:.4f}')
