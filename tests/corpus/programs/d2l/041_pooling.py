# title: Pooling: max and average pooling from scratch and with nn.MaxPool2d
# expect: match

import torch
from torch import nn

def pool2d(X, pool_size, mode='max'):
    p_h, p_w = pool_size
    Y = torch.zeros((X.shape[0] - p_h + 1, X.shape[1] - p_w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            if mode == 'max':
                Y[i, j] = X[i: i + p_h, j: j + p_w].max()
            elif mode == 'avg':
                Y[i, j] = X[i: i + p_h, j: j + p_w].mean()
    return Y

X = torch.tensor([[3.0, 1.0, 4.0, 1.0], [5.0, 9.0, 2.0, 6.0], [5.0, 3.0, 5.0, 8.0]])
print(pool2d(X, (2, 2)))
print(pool2d(X, (2, 3), 'avg'))

X = torch.arange(25, dtype=torch.float32).reshape((1, 1, 5, 5))
print(X)

# by default the stride equals the window size
pool = nn.MaxPool2d(3)
print(pool(X))

pool = nn.MaxPool2d(3, padding=1, stride=2)
print(pool(X))

pool = nn.MaxPool2d((2, 3), stride=(2, 3), padding=(0, 1))
print(pool(X))

# pooling works channel by channel, so channel count is unchanged
X = torch.cat((X, X + 100), 1)
print(X.shape)
pool = nn.MaxPool2d(3, padding=1, stride=2)
print(pool(X))

avg = nn.AvgPool2d(2, stride=1)
print(avg(X).shape)
print('from-scratch avg agrees:',
      bool(torch.allclose(avg(X)[0, 0], pool2d(X[0, 0], (2, 2), 'avg'))))
