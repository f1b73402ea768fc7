# title: Padding and stride: output shapes of nn.Conv2d
# expect: match

import torch
from torch import nn

# helper: add batch and channel dimensions, run the layer, strip them again
def comp_conv2d(conv2d, X):
    # (1, 1) means batch size 1 and a single channel
    X = X.reshape((1, 1) + X.shape)
    Y = conv2d(X)
    # drop the first two dimensions
    return Y.reshape(Y.shape[2:])

# one row/column of padding on each side keeps the size
conv2d = nn.Conv2d(1, 1, kernel_size=3, padding=1)
X = torch.rand(size=(10, 10))
print(comp_conv2d(conv2d, X).shape)

# different kernel height and width need different padding
conv2d = nn.Conv2d(1, 1, kernel_size=(5, 3), padding=(2, 1))
print(comp_conv2d(conv2d, X).shape)

# stride 2 halves height and width
conv2d = nn.Conv2d(1, 1, kernel_size=3, padding=1, stride=2)
print(comp_conv2d(conv2d, X).shape)

conv2d = nn.Conv2d(1, 1, kernel_size=(3, 5), padding=(0, 1), stride=(3, 4))
print(comp_conv2d(conv2d, X).shape)

# check the general formula floor((n - k + p + s) / s)
def out_size(n, k, p, s):
    return (n - k + p + s) // s

for k, p, s in [(3, 2, 1), (5, 4, 2), (4, 0, 3), (2, 2, 2)]:
    conv2d = nn.Conv2d(1, 1, kernel_size=k, padding=p // 2, stride=s)
    got = comp_conv2d(conv2d, X).shape[0]
    print(f'k={k} p={p} s={s}: {got} (formula {out_size(10, k, p, s)})')
