# title: A residual block
# title_zh: 残差块
# description: forward() adds the block's input x back to the output of two Conv2d + BatchNorm2d layers before the last ReLU. AddBackward0 has two inputs, so in backward the gradient that reaches x is the sum of what comes back through the convolutions and what the skip connection passes on unchanged.
# description_zh: forward() 在最后一个 ReLU 之前，把输入 x 加回到两层 Conv2d + BatchNorm2d 的输出上。AddBackward0 有两个输入，所以反向传播时到达 x 的梯度，是经过卷积层传回的梯度与跳跃连接原样传回的梯度之和。

import torch
import torch.nn as nn
import torch.nn.functional as F


class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + x)  # the skip connection


torch.manual_seed(0)
block = ResidualBlock(2)
x = torch.randn(2, 2, 4, 4, requires_grad=True)
y = block(x)
loss = y.sum()
loss.backward()
print("output shape:", y.shape)
print("gradient at x, first channel of the first image:")
print(x.grad[0, 0])
