# title: Concise batch normalization with nn.BatchNorm2d / nn.BatchNorm1d
# expect: match

import torch
from torch import nn

net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5), nn.BatchNorm2d(6), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Conv2d(6, 16, kernel_size=5), nn.BatchNorm2d(16), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2), nn.Flatten(),
    nn.Linear(256, 120), nn.BatchNorm1d(120), nn.Sigmoid(),
    nn.Linear(120, 84), nn.BatchNorm1d(84), nn.Sigmoid(),
    nn.Linear(84, 10))

X = torch.rand(size=(8, 1, 28, 28))
for layer in net:
    X = layer(X)
    print(layer.__class__.__name__, 'output shape:\t', X.shape)

# in training mode each channel of the BN output has ~zero mean, unit variance
bn = nn.BatchNorm2d(3)
inp = torch.randn(16, 3, 5, 5) * 4 + 2
out = bn(inp)
print('per-channel mean ~0:', bool(out.mean(dim=(0, 2, 3)).abs().max() < 1e-5))
print('per-channel var ~1:', bool((out.var(dim=(0, 2, 3), unbiased=False) - 1).abs().max() < 1e-3))
print('running mean after one batch:', bn.running_mean.shape, bn.num_batches_tracked.item())

# in eval mode the running statistics are used instead
bn.eval()
out_eval = bn(inp)
print('eval output differs from train output:', not torch.allclose(out_eval, out))

# a few training steps on random targets to see gradients flow through BN
net.train()
optimizer = torch.optim.SGD(net.parameters(), lr=0.5)
loss = nn.CrossEntropyLoss()
Xb = torch.rand(32, 1, 28, 28)
yb = torch.randint(0, 10, (32,))
for step in range(5):
    optimizer.zero_grad()
    l = loss(net(Xb), yb)
    l.backward()
    optimizer.step()
    print(f'step {step + 1}, loss {l.item():.4f}')
print('gamma of first BN layer:', net[1].weight.data)
