# title: 用Animator绘制训练曲线：softmax回归训练（合成数据）
# expect: match

import torch
from torch import nn
from torch.utils import data
import matplotlib.pyplot as plt

def set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend):
    """一次性配置坐标轴"""
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    axes.set_xlim(xlim)
    axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()

class Animator:
    """在图中增量地绘制数据（脚本版本，不使用IPython显示）"""
    def __init__(self, xlabel=None, ylabel=None, legend=None, xlim=None,
                 ylim=None, xscale='linear', yscale='linear',
                 fmts=('-', 'm--', 'g-.', 'r:'), nrows=1, ncols=1,
                 figsize=(3.5, 2.5)):
        if legend is None:
            legend = []
        self.fig, self.axes = plt.subplots(nrows, ncols, figsize=figsize)
        if nrows * ncols == 1:
            self.axes = [self.axes, ]
        # 用lambda函数保存配置参数
        self.config_axes = lambda: set_axes(
            self.axes[0], xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
        self.X, self.Y, self.fmts = None, None, fmts

    def add(self, x, y):
        if not hasattr(y, "__len__"):
            y = [y]
        n = len(y)
        if not hasattr(x, "__len__"):
            x = [x] * n
        if not self.X:
            self.X = [[] for _ in range(n)]
        if not self.Y:
            self.Y = [[] for _ in range(n)]
        for i, (a, b) in enumerate(zip(x, y)):
            if a is not None and b is not None:
                self.X[i].append(a)
                self.Y[i].append(b)
        self.axes[0].cla()
        for x, y, fmt in zip(self.X, self.Y, self.fmts):
            self.axes[0].plot(x, y, fmt)
        self.config_axes()

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

def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())

# 合成的“图像”数据：8个类别，每个样本是1x16x16
centers = 0.15 * torch.randn(8, 256)
def make_data(n):
    y = torch.randint(0, 8, (n,))
    X = (centers[y] + torch.randn(n, 256)).reshape(n, 1, 16, 16)
    return X, y

train_iter = data.DataLoader(data.TensorDataset(*make_data(640)), 64, shuffle=True)
test_iter = data.DataLoader(data.TensorDataset(*make_data(256)), 64)

net = nn.Sequential(nn.Flatten(), nn.Linear(256, 8))
loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=0.05)

num_epochs = 5
animator = Animator(xlabel='epoch', xlim=[1, num_epochs], ylim=[0.0, 1.0],
                    legend=['train loss', 'train acc', 'test acc'])
for epoch in range(num_epochs):
    net.train()
    metric = Accumulator(3)
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        trainer.zero_grad()
        l.mean().backward()
        trainer.step()
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    net.eval()
    test_metric = Accumulator(2)
    with torch.no_grad():
        for X, y in test_iter:
            test_metric.add(accuracy(net(X), y), y.numel())
    test_acc = test_metric[0] / test_metric[1]
    animator.add(epoch + 1, (metric[0] / metric[2], metric[1] / metric[2], test_acc))
    print(f'epoch {epoch + 1}, 损失 {metric[0] / metric[2]:.3f}, '
          f'训练精度 {metric[1] / metric[2]:.3f}, 测试精度 {test_acc:.3f}')

print('曲线条数:', len(animator.Y), '每条的点数:', len(animator.Y[0]))
