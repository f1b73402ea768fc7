# title: Momentum: 2-D trajectories and a from-scratch sgd_momentum on a regression problem
# expect: match

import torch
from torch import nn
from torch.utils import data

def train_2d(trainer, steps=20):
    """Start at (-5, -2) and apply the update rule `steps` times."""
    x1, x2, s1, s2 = -5, -2, 0, 0
    results = [(x1, x2)]
    for i in range(steps):
        x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        results.append((x1, x2))
    print(f'after {i + 1} steps: x1 = {float(x1):f}, x2 = {float(x2):f}')
    return results

eta = 0.4
def f_2d(x1, x2):
    return 0.1 * x1 ** 2 + 2 * x2 ** 2

def gd_2d(x1, x2, s1, s2):
    return (x1 - eta * 0.2 * x1, x2 - eta * 4 * x2, 0, 0)

train_2d(gd_2d)
eta = 0.6
train_2d(gd_2d)  # x2 starts to oscillate and diverge

def momentum_2d(x1, x2, v1, v2):
    v1 = beta * v1 + 0.2 * x1
    v2 = beta * v2 + 4 * x2
    return x1 - eta * v1, x2 - eta * v2, v1, v2

eta, beta = 0.6, 0.5
train_2d(momentum_2d)
eta, beta = 0.6, 0.25
train_2d(momentum_2d)

# effective sample weight: sum of beta^t
for beta in [0.95, 0.9, 0.6, 0]:
    t = torch.arange(40).float()
    print(f'beta = {beta:.2f}: sum of weights {float((beta ** t).sum()):.2f}')

# a small regression data set standing in for the airfoil data
def get_data_ch11(batch_size=10, n=600, feature_dim=5):
    X = torch.randn(n, feature_dim)
    w = torch.tensor([0.5, -1.0, 0.3, 0.0, 0.8])
    y = X @ w + 0.3 * torch.randn(n)
    data_iter = data.DataLoader(data.TensorDataset(X, y), batch_size, shuffle=True)
    return data_iter, feature_dim

def init_momentum_states(feature_dim):
    v_w = torch.zeros((feature_dim, 1))
    v_b = torch.zeros(1)
    return (v_w, v_b)

def sgd_momentum(params, states, hyperparams):
    for p, v in zip(params, states):
        with torch.no_grad():
            v[:] = hyperparams['momentum'] * v + p.grad
            p[:] -= hyperparams['lr'] * v
        p.grad.data.zero_()

def linreg(X, w, b):
    return torch.matmul(X, w) + b

def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

def train_ch11(trainer_fn, states, hyperparams, data_iter, feature_dim, num_epochs=2):
    w = torch.normal(mean=0.0, std=0.01, size=(feature_dim, 1), requires_grad=True)
    b = torch.zeros((1), requires_grad=True)
    net, loss = lambda X: linreg(X, w, b), squared_loss
    for epoch in range(num_epochs):
        for X, y in data_iter:
            l = loss(net(X), y).mean()
            l.backward()
            trainer_fn([w, b], states, hyperparams)
        with torch.no_grad():
            total = sum(float(loss(net(X), y).sum()) for X, y in data_iter)
        print(f'  epoch {epoch + 1}, loss: {total / 600:.4f}')

data_iter, feature_dim = get_data_ch11(batch_size=10)
for lr, momentum in [(0.02, 0.5), (0.01, 0.9), (0.005, 0.9)]:
    print(f'lr={lr}, momentum={momentum}')
    train_ch11(sgd_momentum, init_momentum_states(feature_dim),
               {'lr': lr, 'momentum': momentum}, data_iter, feature_dim)

# the built-in optimizer
net = nn.Sequential(nn.Linear(5, 1))
trainer = torch.optim.SGD(net.parameters(), lr=0.005, momentum=0.9)
loss = nn.MSELoss()
for X, y in data_iter:
    trainer.zero_grad()
    l = loss(net(X), y.reshape(-1, 1))
    l.backward()
    trainer.step()
print('concise momentum, last batch loss:', round(l.item() / 2, 4))
