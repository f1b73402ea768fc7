# title: 序列模型：自回归预测正弦序列（单步与多步预测）
# expect: match

import torch
from torch import nn
from torch.utils import data
import matplotlib.pyplot as plt

T = 400  # 总共产生400个点
time = torch.arange(1, T + 1, dtype=torch.float32)
x = torch.sin(0.02 * time) + torch.normal(0, 0.15, (T,))

tau = 4
features = torch.zeros((T - tau, tau))
for i in range(tau):
    features[:, i] = x[i: T - tau + i]
labels = x[tau:].reshape((-1, 1))

batch_size, n_train = 16, 240
# 只用前n_train个样本训练
train_iter = data.DataLoader(data.TensorDataset(features[:n_train], labels[:n_train]),
                             batch_size, shuffle=True)

# 线性层用Xavier初始化
def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.xavier_uniform_(m.weight)

# 输入4个历史值、隐藏层10个单元的小网络
def get_net():
    net = nn.Sequential(nn.Linear(4, 10),
                        nn.ReLU(),
                        nn.Linear(10, 1))
    net.apply(init_weights)
    return net

# 平方损失（MSELoss不带1/2系数）
loss = nn.MSELoss(reduction='none')

def evaluate_loss(net, data_iter, loss):
    total, n = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            l = loss(net(X), y)
            total += l.sum().item()
            n += l.numel()
    return total / n

def train(net, train_iter, loss, epochs, lr):
    trainer = torch.optim.Adam(net.parameters(), lr)
    for epoch in range(epochs):
        for X, y in train_iter:
            trainer.zero_grad()
            l = loss(net(X), y)
            l.sum().backward()
            trainer.step()
        print(f'epoch {epoch + 1}, '
              f'损失: {evaluate_loss(net, train_iter, loss):f}')

net = get_net()
train(net, train_iter, loss, 5, 0.01)

# 每次只往前预测一步（输入都是真实观测）
onestep_preds = net(features).detach()

# 多步预测：用自己的预测作为输入
multistep_preds = torch.zeros(T)
multistep_preds[: n_train + tau] = x[: n_train + tau]
with torch.no_grad():
    for i in range(n_train + tau, T):
        multistep_preds[i] = net(multistep_preds[i - tau: i].reshape((1, -1)))

err1 = ((onestep_preds[n_train:, 0] - x[n_train + tau:]) ** 2).mean()
err_k = ((multistep_preds[n_train + tau:] - x[n_train + tau:]) ** 2).mean()
print(f'单步预测误差 {err1:.4f}, 多步预测误差 {err_k:.4f}')

plt.figure(figsize=(6, 3))
plt.plot(time, x, label='data')
plt.plot(time[tau:], onestep_preds, label='one-step')
plt.plot(time[n_train + tau:], multistep_preds[n_train + tau:], label='k-step')
plt.xlabel('time')
plt.ylabel('x')
plt.xlim([1, T])
plt.legend()
