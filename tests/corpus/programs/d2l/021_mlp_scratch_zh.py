# title: 多层感知机的从零开始实现
# expect: match

import torch
from torch import nn
from torch.utils import data

# 合成数据代替Fashion-MNIST
base = torch.rand(1, 1, 28, 28)
class_images = base + 0.3 * torch.randn(10, 1, 28, 28)

def synthetic(n):
    y = torch.randint(0, 10, (n,))
    X = (class_images[y] + 0.5 * torch.randn(n, 1, 28, 28)).clamp(0, 1)
    return X, y

batch_size = 256
train_iter = data.DataLoader(data.TensorDataset(*synthetic(1024)), batch_size, shuffle=True)
test_iter = data.DataLoader(data.TensorDataset(*synthetic(256)), batch_size)

num_inputs, num_outputs, num_hiddens = 784, 10, 128

W1 = nn.Parameter(torch.randn(
    num_inputs, num_hiddens, requires_grad=True) * 0.01)
b1 = nn.Parameter(torch.zeros(num_hiddens, requires_grad=True))
W2 = nn.Parameter(torch.randn(
    num_hiddens, num_outputs, requires_grad=True) * 0.01)
b2 = nn.Parameter(torch.zeros(num_outputs, requires_grad=True))

params = [W1, b1, W2, b2]

def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)

def net(X):
    X = X.reshape((-1, num_inputs))
    H = relu(X @ W1 + b1)  # “@”表示矩阵乘法
    return (H @ W2 + b2)

loss = nn.CrossEntropyLoss(reduction='none')

def accuracy(y_hat, y):
    """统计预测正确的样本数"""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())

class Accumulator:
    """同时维护n个累加和"""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]

def evaluate_accuracy(net, data_iter):
    metric = Accumulator(2)
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]

num_epochs, lr = 6, 0.2
updater = torch.optim.SGD(params, lr=lr)
for epoch in range(num_epochs):
    metric = Accumulator(3)
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        updater.zero_grad()
        l.mean().backward()
        updater.step()
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    test_acc = evaluate_accuracy(net, test_iter)
    print(f'epoch {epoch + 1}, 损失 {metric[0] / metric[2]:.3f}, '
          f'训练精度 {metric[1] / metric[2]:.3f}, 测试精度 {test_acc:.3f}')

# 预测前几个测试样本
X, y = next(iter(test_iter))
preds = net(X).argmax(axis=1)
print('真实标签:', y[:6].tolist())
print('预测标签:', preds[:6].tolist())
