# title: A small CNN two ways: an nn.Module calling F.relu and F.avg_pool2d, and nn.Sequential with a Lambda layer and AdaptiveAvgPool2d
# expect: match

import torch
from torch import nn, optim
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader

# flattened 28x28 images with 10 synthetic classes: class k sets how much ink there is
def make_digits(n):
    y = torch.randint(0, 10, (n,))
    ink = (y.float() + 1) / 11
    x = (torch.rand(n, 28, 28) < ink.view(n, 1, 1)).float()
    return x.view(n, 784), y


x_train, y_train = make_digits(256)
x_valid, y_valid = make_digits(128)
print(torch.bincount(y_train, minlength=10))

loss_func = F.cross_entropy
lr = 0.1


class Mnist_CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
        self.conv3 = nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1)

    def forward(self, xb):
        xb = xb.view(-1, 1, 28, 28)
        xb = F.relu(self.conv1(xb))
        xb = F.relu(self.conv2(xb))
        xb = F.relu(self.conv3(xb))
        xb = F.avg_pool2d(xb, 4)
        return xb.view(-1, xb.size(1))


class Lambda(nn.Module):
    def __init__(self, func):
        super().__init__()
        self.func = func

    def forward(self, x):
        return self.func(x)


def preprocess(x):
    return x.view(-1, 1, 28, 28)


def fit(epochs, model, opt, train_dl, valid_dl):
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_dl:
            loss = loss_func(model(xb), yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
        model.eval()
        with torch.no_grad():
            valid_loss = sum(loss_func(model(xb), yb) for xb, yb in valid_dl)
        print(epoch, round((valid_loss / len(valid_dl)).item(), 4))


train_dl = DataLoader(TensorDataset(x_train, y_train), batch_size=64, shuffle=True)
valid_dl = DataLoader(TensorDataset(x_valid, y_valid), batch_size=128)

model = Mnist_CNN()
opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
fit(2, model, opt, train_dl, valid_dl)

model = nn.Sequential(
    Lambda(preprocess),
    nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    Lambda(lambda x: x.view(x.size(0), -1)),
)
print(model)
opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
fit(2, model, opt, train_dl, valid_dl)
print(model(x_valid[:4]).shape)
