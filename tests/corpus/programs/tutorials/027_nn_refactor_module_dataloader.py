# title: Refactoring with nn.Module, nn.Linear, optim, TensorDataset and DataLoader (fit / loss_batch)
# expect: match

import numpy as np
import torch
from torch import nn, optim
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader

# synthetic stand-in for the flattened digit images
n_train, n_valid = 800, 200
centers = (torch.rand(10, 784) < 0.15).float() * 0.9
y_all = torch.randint(0, 10, (n_train + n_valid,))
x_all = centers[y_all] * (torch.rand(n_train + n_valid, 784) < 0.1)
x_all = (x_all + (torch.rand(n_train + n_valid, 784) < 0.1).float()).clamp(0, 1)
x_train, x_valid = x_all[:n_train], x_all[n_train:]
y_train, y_valid = y_all[:n_train], y_all[n_train:]

bs = 64
lr = 0.1
epochs = 3
loss_func = F.cross_entropy


class Mnist_Logistic(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(784, 10)

    def forward(self, xb):
        return self.lin(xb)


def get_data(train_ds, valid_ds, bs):
    return (
        DataLoader(train_ds, batch_size=bs, shuffle=True),
        DataLoader(valid_ds, batch_size=bs * 2),
    )


def get_model():
    model = Mnist_Logistic()
    return model, optim.SGD(model.parameters(), lr=lr, momentum=0.9)


def loss_batch(model, loss_func, xb, yb, opt=None):
    loss = loss_func(model(xb), yb)

    if opt is not None:
        loss.backward()
        opt.step()
        opt.zero_grad()

    return loss.item(), len(xb)


def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_dl:
            loss_batch(model, loss_func, xb, yb, opt)

        model.eval()
        with torch.no_grad():
            losses, nums = zip(
                *[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl]
            )
        val_loss = np.sum(np.multiply(losses, nums)) / np.sum(nums)

        print(epoch, round(float(val_loss), 5))


train_ds = TensorDataset(x_train, y_train)
valid_ds = TensorDataset(x_valid, y_valid)
print(len(train_ds), train_ds[0:3][1])

train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
model, opt = get_model()
print(round(loss_func(model(x_valid), y_valid).item(), 4))
fit(epochs, model, loss_func, opt, train_dl, valid_dl)

with torch.no_grad():
    acc = (model(x_valid).argmax(dim=1) == y_valid).float().mean()
print(f"validation accuracy: {acc:.3f}")
