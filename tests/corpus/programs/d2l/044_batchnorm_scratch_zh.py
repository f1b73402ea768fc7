# title: 批量规范化的从零开始实现
# expect: match

import torch
from torch import nn
from torch.utils import data

def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
    # 在torch.no_grad()里调用时视为推理阶段
    if not torch.is_grad_enabled():
        # 推理阶段：用训练中积累的全局均值、方差
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            # 二维输入(批量, 特征)：每个特征各算一组统计量
            mean = X.mean(dim=0)
            var = ((X - mean) ** 2).mean(dim=0)
        else:
            # 四维输入(批量, 通道, 高, 宽)：每个通道一组统计量，keepdim方便后面广播
            mean = X.mean(dim=(0, 2, 3), keepdim=True)
            var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
        # 训练阶段：用本批次自己的统计量
        X_hat = (X - mean) / torch.sqrt(var + eps)
        # 用指数加权更新全局统计量
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
        moving_var = momentum * moving_var + (1.0 - momentum) * var
    Y = gamma * X_hat + beta  # 可学习的缩放与偏移
    return Y, moving_mean.data, moving_var.data

class BatchNorm(nn.Module):
    # num_features：特征个数（全连接）或通道数（卷积）
    # num_dims：输入张量的维数，2或4
    def __init__(self, num_features, num_dims):
        super().__init__()
        if num_dims == 2:
            shape = (1, num_features)
        else:
            shape = (1, num_features, 1, 1)
        # gamma和beta是要学习的参数
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        # 全局统计量只是普通张量，优化器不会更新它们
        self.moving_mean = torch.zeros(shape)
        self.moving_var = torch.ones(shape)

    def forward(self, X):
        if self.moving_mean.device != X.device:
            self.moving_mean = self.moving_mean.to(X.device)
            self.moving_var = self.moving_var.to(X.device)
        # batch_norm返回新的全局统计量，存回模块里
        Y, self.moving_mean, self.moving_var = batch_norm(
            X, self.gamma, self.beta, self.moving_mean,
            self.moving_var, eps=1e-5, momentum=0.9)
        return Y

net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5), BatchNorm(6, num_dims=4), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Conv2d(6, 16, kernel_size=5), BatchNorm(16, num_dims=4), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2), nn.Flatten(),
    nn.Linear(16 * 4 * 4, 120), BatchNorm(120, num_dims=2), nn.Sigmoid(),
    nn.Linear(120, 84), BatchNorm(84, num_dims=2), nn.Sigmoid(),
    nn.Linear(84, 10))

# 合成数据：每类一个模板加噪声
templates = 0.5 * torch.randn(10, 1, 28, 28)
def make(n):
    y = torch.randint(0, 10, (n,))
    return templates[y] + torch.randn(n, 1, 28, 28), y

train_iter = data.DataLoader(data.TensorDataset(*make(384)), 64, shuffle=True)
test_X, test_y = make(128)

lr, num_epochs = 1.0, 3
optimizer = torch.optim.SGD(net.parameters(), lr=lr)
loss = nn.CrossEntropyLoss()
for epoch in range(num_epochs):
    net.train()
    total, n = 0.0, 0
    for X, y in train_iter:
        optimizer.zero_grad()
        l = loss(net(X), y)
        l.backward()
        optimizer.step()
        total += l.item() * y.numel()
        n += y.numel()
    net.eval()
    with torch.no_grad():
        acc = (net(test_X).argmax(dim=1) == test_y).float().mean().item()
    print(f'epoch {epoch + 1}, 损失 {total / n:.3f}, 测试精度 {acc:.3f}')

print('gamma:', net[1].gamma.reshape((-1,)).detach())
print('beta:', net[1].beta.reshape((-1,)).detach())
print('移动均值的形状:', net[1].moving_mean.shape)
