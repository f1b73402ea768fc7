# title: Adam and Yogi from scratch, compared with torch.optim.Adam
# expect: match

import torch
from torch import nn
from torch.utils import data

n, feature_dim = 800, 5
true_w = torch.tensor([[0.7], [-1.3], [0.0], [2.1], [0.4]])
X_all = torch.randn(n, feature_dim)
y_all = (X_all @ true_w).reshape(-1) + 0.2 * torch.randn(n)
data_iter = data.DataLoader(data.TensorDataset(X_all, y_all), batch_size=20, shuffle=True)

def init_adam_states(feature_dim):
    v_w, v_b = torch.zeros((feature_dim, 1)), torch.zeros(1)
    s_w, s_b = torch.zeros((feature_dim, 1)), torch.zeros(1)
    return ((v_w, s_w), (v_b, s_b))

def adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        with torch.no_grad():
            v[:] = beta1 * v + (1 - beta1) * p.grad
            s[:] = beta2 * s + (1 - beta2) * torch.square(p.grad)
            v_bias_corr = v / (1 - beta1 ** hyperparams['t'])
            s_bias_corr = s / (1 - beta2 ** hyperparams['t'])
            p[:] -= hyperparams['lr'] * v_bias_corr / (torch.sqrt(s_bias_corr) + eps)
        p.grad.data.zero_()
    hyperparams['t'] += 1

def yogi(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-3
    for p, (v, s) in zip(params, states):
        with torch.no_grad():
            v[:] = beta1 * v + (1 - beta1) * p.grad
            s[:] = s + (1 - beta2) * torch.sign(
                torch.square(p.grad) - s) * torch.square(p.grad)
            v_bias_corr = v / (1 - beta1 ** hyperparams['t'])
            s_bias_corr = s / (1 - beta2 ** hyperparams['t'])
            p[:] -= hyperparams['lr'] * v_bias_corr / (torch.sqrt(s_bias_corr) + eps)
        p.grad.data.zero_()
    hyperparams['t'] += 1

def train_ch11(trainer_fn, states, hyperparams, num_epochs=3):
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
            print(f'  epoch {epoch + 1}, loss: {float(loss(net(X_all), y_all).mean()):.4f}')
    return w

hp = {'lr': 0.05, 't': 1}
print('Adam from scratch:')
w = train_ch11(adam, init_adam_states(feature_dim), hp)
print('  steps taken:', hp['t'] - 1)
print('Yogi from scratch:')
w = train_ch11(yogi, init_adam_states(feature_dim), {'lr': 0.05, 't': 1})
print('  distance to true w:', round(float(torch.norm(w.detach() - true_w)), 3))

def train_concise_ch11(trainer_fn, hyperparams, num_epochs=3):
    net = nn.Sequential(nn.Linear(feature_dim, 1))
    def init_weights(m):
        if type(m) == nn.Linear:
            torch.nn.init.normal_(m.weight, std=0.01)
    net.apply(init_weights)
    optimizer = trainer_fn(net.parameters(), **hyperparams)
    loss = nn.MSELoss(reduction='none')
    for epoch in range(num_epochs):
        for X, y in data_iter:
            optimizer.zero_grad()
            out = net(X)
            y = y.reshape(out.shape)
            l = loss(out, y)
            l.mean().backward()
            optimizer.step()
        with torch.no_grad():
            # MSELoss has no factor 1/2
            print(f'  epoch {epoch + 1}, loss: {float(loss(net(X_all), y_all.reshape(-1, 1)).mean()) / 2:.4f}')

print('torch.optim.Adam:')
train_concise_ch11(torch.optim.Adam, {'lr': 0.05})
