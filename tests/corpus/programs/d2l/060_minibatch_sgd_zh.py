# title: 小批量随机梯度下降：向量化与不同批量大小的比较（计时不打印）
# expect: match

import time
import numpy as np
import torch
from torch import nn
from torch.utils import data

class Timer:
    """秒表：保存每一段计时"""
    def __init__(self):
        self.times = []
        self.start()

    def start(self):
        """开始新的一段"""
        self.tik = time.time()

    def stop(self):
        """结束这一段并保存"""
        self.times.append(time.time() - self.tik)
        return self.times[-1]

    def avg(self):
        """各段的平均值"""
        return sum(self.times) / len(self.times)

    def sum(self):
        """各段之和"""
        return sum(self.times)

    def cumsum(self):
        """累计值列表"""
        return np.array(self.times).cumsum().tolist()

timer = Timer()
A = torch.zeros(48, 48)
B = torch.randn(48, 48)
C = torch.randn(48, 48)

# 逐元素计算 A = BC
timer.start()
for i in range(48):
    for j in range(48):
        A[i, j] = torch.dot(B[i, :], C[:, j])
timer.stop()
A1 = A.clone()

# 每次算一整列
timer.start()
for j in range(48):
    A[:, j] = torch.mv(B, C[:, j])
timer.stop()

# 直接调用矩阵乘法
timer.start()
A = torch.mm(B, C)
timer.stop()
print('三种方法结果一致:', bool(torch.allclose(A1, A, atol=1e-4)))
print('记录的计时次数:', len(timer.times))

# 合成数据代替翼型自噪声数据集，并做标准化
raw = torch.randn(1000, 6)
raw[:, -1] = raw[:, :-1] @ torch.tensor([0.4, -0.8, 0.1, 0.6, -0.3]) + 0.2 * raw[:, -1]
dataset = (raw - raw.mean(axis=0)) / raw.std(axis=0)

def get_data_ch11(batch_size=10, n=1000):
    data_iter = data.DataLoader(data.TensorDataset(dataset[:n, :-1], dataset[:n, -1]),
                                batch_size, shuffle=True)
    return data_iter, dataset.shape[1] - 1

def sgd(params, states, hyperparams):
    for p in params:
        p.data.sub_(hyperparams['lr'] * p.grad)
        p.grad.data.zero_()

def train_ch11(trainer_fn, states, hyperparams, data_iter, feature_dim, num_epochs=2):
    # 线性模型的参数
    w = torch.normal(mean=0.0, std=0.01, size=(feature_dim, 1), requires_grad=True)
    b = torch.zeros((1), requires_grad=True)
    net = lambda X: torch.matmul(X, w) + b
    loss = lambda y_hat, y: (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
    timer = Timer()
    for _ in range(num_epochs):
        for X, y in data_iter:
            l = loss(net(X), y).mean()
            l.backward()
            trainer_fn([w, b], states, hyperparams)
        timer.stop()
        timer.start()
    with torch.no_grad():
        final = float(loss(net(dataset[:, :-1]), dataset[:, -1]).mean())
    print(f'损失: {final:.3f}')
    return timer.cumsum(), final

def train_sgd(lr, batch_size, num_epochs=2):
    data_iter, feature_dim = get_data_ch11(batch_size)
    return train_ch11(sgd, None, {'lr': lr}, data_iter, feature_dim, num_epochs)

print('梯度下降（批量=1000）:')
gd_res = train_sgd(1, 1000, 6)
print('小批量（批量=100）:')
mini1_res = train_sgd(.4, 100)
print('小批量（批量=10）:')
mini2_res = train_sgd(.05, 10)
print('随机梯度下降（批量=1）:')
sgd_res = train_sgd(0.005, 1, 1)
