# title: What is torch.nn really? Logistic regression from scratch with raw tensors
# expect: match

import math
import torch

# synthetic flattened 28x28 digits: each class lights up its own band of pixels
n, c = 1000, 10
y_train = torch.randint(0, c, (n,))
x_train = torch.rand(n, 784) * (torch.rand(n, 784) < 0.1)
band = torch.arange(784) // 79
x_train += (band.unsqueeze(0) == y_train.unsqueeze(1)).float() * (torch.rand(n, 784) < 0.3) * 0.9
print(x_train.shape, y_train.min().item(), y_train.max().item())

# Xavier-style init, then ask autograd to track the weights
weights = torch.randn(784, 10) / math.sqrt(784)
weights.requires_grad_()
bias = torch.zeros(10, requires_grad=True)


def log_softmax(x):
    return x - x.exp().sum(-1).log().unsqueeze(-1)


def model(xb):
    return log_softmax(xb @ weights + bias)


def nll(input, target):
    return -input[range(target.shape[0]), target].mean()


def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()


loss_func = nll
bs = 64
xb = x_train[0:bs]
yb = y_train[0:bs]
preds = model(xb)
print(preds[0].shape, preds.shape)
print(loss_func(preds, yb), accuracy(preds, yb))

lr = 0.5
epochs = 2
for epoch in range(epochs):
    for i in range((n - 1) // bs + 1):
        start_i = i * bs
        end_i = start_i + bs
        xb = x_train[start_i:end_i]
        yb = y_train[start_i:end_i]
        pred = model(xb)
        loss = loss_func(pred, yb)

        loss.backward()
        with torch.no_grad():
            weights -= weights.grad * lr
            bias -= bias.grad * lr
            weights.grad.zero_()
            bias.grad.zero_()

print(loss_func(model(xb), yb), accuracy(model(xb), yb))

# the built-in cross entropy combines log_softmax and nll
import torch.nn.functional as F

loss_func = F.cross_entropy


def model(xb):
    return xb @ weights + bias


print(loss_func(model(xb), yb), accuracy(model(xb), yb))
