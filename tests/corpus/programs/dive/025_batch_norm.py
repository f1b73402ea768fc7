# title: 5.10 批量归一化：从零开始实现与简洁实现
# expect: match

import torch
from torch import nn, optim
import torch.nn.functional as F


def batch_norm(is_training, X, gamma, beta, moving_mean, moving_var, eps, momentum):
    # 预测时用移动平均，训练时用当前批量的统计量
    if not is_training:
        # 预测模式：直接用累计下来的均值和方差
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            # 全连接层的输出：对每个特征在batch上求均值方差
            mean = X.mean(dim=0)
            var = ((X - mean) ** 2).mean(dim=0)
        else:
            # 卷积层的输出：对每个通道在(N, H, W)上求均值方差，保持维度方便广播
            mean = X.mean(dim=0, keepdim=True).mean(dim=2, keepdim=True).mean(dim=3, keepdim=True)
            var = ((X - mean) ** 2).mean(dim=0, keepdim=True).mean(dim=2, keepdim=True).mean(dim=3, keepdim=True)
        # 训练模式：用这个批量自己的统计量做标准化
        X_hat = (X - mean) / torch.sqrt(var + eps)
        # 同时更新移动平均
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
        moving_var = momentum * moving_var + (1.0 - momentum) * var
    Y = gamma * X_hat + beta  # 拉伸和偏移
    return Y, moving_mean, moving_var


class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super(BatchNorm, self).__init__()
        if num_dims == 2:
            shape = (1, num_features)
        else:
            shape = (1, num_features, 1, 1)
        # gamma、beta 是要学习的参数，初值是1和0
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        # 移动平均不是参数，初始为0
        self.moving_mean = torch.zeros(shape)
        self.moving_var = torch.zeros(shape)

    def forward(self, X):
        # 保证移动平均和X在同一个设备上
        if self.moving_mean.device != X.device:
            self.moving_mean = self.moving_mean.to(X.device)
            self.moving_var = self.moving_var.to(X.device)
        # self.training 由 train()/eval() 控制，顺便把更新后的移动平均存回来
        Y, self.moving_mean, self.moving_var = batch_norm(self.training,
            X, self.gamma, self.beta, self.moving_mean,
            self.moving_var, eps=1e-5, momentum=0.9)
        return Y


class FlattenLayer(nn.Module):
    def forward(self, x):
        return x.view(x.shape[0], -1)


# 缩小版的LeNet，在卷积层和全连接层后面各加一个BatchNorm
net = nn.Sequential(
    nn.Conv2d(1, 4, 5),  # 输入通道, 输出通道, 核大小
    BatchNorm(4, num_dims=4),
    nn.Sigmoid(),
    nn.MaxPool2d(2, 2),  # 窗口大小, 步幅
    FlattenLayer(),
    nn.Linear(4 * 6 * 6, 32),
    BatchNorm(32, num_dims=2),
    nn.Sigmoid(),
    nn.Linear(32, 3)
)

X = torch.randn(48, 1, 16, 16)
y = torch.randint(0, 3, (48,))
X[y == 1] += 0.5
X[y == 2, :, :8] -= 0.8

optimizer = optim.Adam(net.parameters(), lr=0.01)
for epoch in range(15):
    for i in range(0, 48, 16):
        l = F.cross_entropy(net(X[i:i + 16]), y[i:i + 16])
        optimizer.zero_grad()
        l.backward()
        optimizer.step()
    if (epoch + 1) % 5 == 0:
        print('epoch %d, loss %.4f' % (epoch + 1, l.item()))

# 第一个BatchNorm层学到的gamma和beta
print(net[1].gamma.view((-1,)), net[1].beta.view((-1,)))
print(net[1].moving_mean.view(-1))

net.eval()
print('eval acc:', (net(X).argmax(dim=1) == y).float().mean().item())

# PyTorch自带的版本
bn = nn.BatchNorm2d(4)
out = bn(torch.randn(8, 4, 5, 5) * 3 + 1)
print(out.mean().item() < 1e-5, bn.running_mean.shape, bn.num_batches_tracked)
bn1 = nn.BatchNorm1d(6)
print(bn1(torch.randn(10, 6)).std(dim=0, unbiased=False))
