# title: A Conv2D module built on corr2d, trained to recover a kernel
# expect: match

import torch
from torch import nn

def corr2d(X, K):
    """Slide K over X with two Python loops."""
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    return Y

class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = nn.Parameter(torch.rand(kernel_size))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return corr2d(x, self.weight) + self.bias

# a random test image and a diagonal difference kernel
X = torch.randn((6, 7))
K_true = torch.tensor([[1.0, 0.0], [0.0, -1.0]])
Y = corr2d(X, K_true) + 0.5
print(Y.shape)

conv = Conv2D(kernel_size=(2, 2))
optimizer = torch.optim.SGD(conv.parameters(), lr=0.01)
for step in range(30):
    Y_hat = conv(X)
    l = ((Y_hat - Y) ** 2).sum()
    optimizer.zero_grad()
    l.backward()
    optimizer.step()
    if (step + 1) % 10 == 0:
        print(f'step {step + 1}, loss {l.item():.4f}')

print('learned kernel:', conv.weight.data)
print('learned bias:', conv.bias.data)

# the hand-written module agrees with nn.Conv2d given the same weights
ref = nn.Conv2d(1, 1, kernel_size=2)
ref.weight.data = conv.weight.data.reshape(1, 1, 2, 2)
ref.bias.data = conv.bias.data
with torch.no_grad():
    same = torch.allclose(ref(X.reshape(1, 1, 6, 7)).reshape(5, 6), conv(X), atol=1e-6)
print('matches nn.Conv2d:', same)
