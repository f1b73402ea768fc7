# title: ResNet: residual blocks and the per-stage output shapes
# expect: match

import torch
from torch import nn
from torch.nn import functional as F

class Residual(nn.Module):
    """Two 3x3 convs with BN, plus an optional 1x1 conv on the shortcut."""
    def __init__(self, input_channels, num_channels,
                 use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.Conv2d(input_channels, num_channels,
                               kernel_size=3, padding=1, stride=strides)
        self.conv2 = nn.Conv2d(num_channels, num_channels,
                               kernel_size=3, padding=1)
        if use_1x1conv:
            self.conv3 = nn.Conv2d(input_channels, num_channels,
                                   kernel_size=1, stride=strides)
        else:
            self.conv3 = None
        self.bn1 = nn.BatchNorm2d(num_channels)
        self.bn2 = nn.BatchNorm2d(num_channels)

    def forward(self, X):
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3:
            X = self.conv3(X)
        Y += X
        return F.relu(Y)

blk = Residual(3, 3)
X = torch.rand(2, 3, 8, 8)
print(blk(X).shape)

blk = Residual(3, 8, use_1x1conv=True, strides=2)
print(blk(X).shape)

b1 = nn.Sequential(nn.Conv2d(1, 16, kernel_size=7, stride=2, padding=3),
                   nn.BatchNorm2d(16), nn.ReLU(),
                   nn.MaxPool2d(kernel_size=3, stride=2, padding=1))

def resnet_block(input_channels, num_channels, num_residuals,
                 first_block=False):
    blk = []
    for i in range(num_residuals):
        if i == 0 and not first_block:
            blk.append(Residual(input_channels, num_channels,
                                use_1x1conv=True, strides=2))
        else:
            blk.append(Residual(num_channels, num_channels))
    return blk

# a slimmer ResNet-18 (channels divided by 4) so the notebook stays quick
b2 = nn.Sequential(*resnet_block(16, 16, 2, first_block=True))
b3 = nn.Sequential(*resnet_block(16, 32, 2))
b4 = nn.Sequential(*resnet_block(32, 64, 2))
b5 = nn.Sequential(*resnet_block(64, 128, 2))

net = nn.Sequential(b1, b2, b3, b4, b5,
                    nn.AdaptiveAvgPool2d((1, 1)),
                    nn.Flatten(), nn.Linear(128, 10))

X = torch.rand(size=(1, 1, 96, 96))
for layer in net:
    X = layer(X)
    print(layer.__class__.__name__, 'output shape:\t', X.shape)

print('number of Residual blocks:',
      sum(1 for m in net.modules() if isinstance(m, Residual)))
print('number of conv layers:',
      sum(1 for m in net.modules() if isinstance(m, nn.Conv2d)))
