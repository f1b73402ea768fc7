# title: Concise softmax regression with nn.Flatten, init_weights and CrossEntropyLoss
# expect: match

import torch
from torch import nn
from torch.utils import data

# synthetic stand-in for Fashion-MNIST: class templates plus pixel noise
base_image = torch.rand(1, 1, 28, 28)
templates = base_image + 0.25 * torch.randn(10, 1, 28, 28)

def synthetic_images(n):
    labels = torch.randint(0, 10, (n,))
    images = (templates[labels] + 0.6 * torch.randn(n, 1, 28, 28)).clamp(0, 1)
    return images, labels

batch_size = 256
train_iter = data.DataLoader(data.TensorDataset(*synthetic_images(1024)),
                             batch_size, shuffle=True)
test_iter = data.DataLoader(data.TensorDataset(*synthetic_images(512)),
                            batch_size, shuffle=False)

# PyTorch does not reshape the inputs implicitly, so flatten first
net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))

def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)

net.apply(init_weights)

loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=0.1)

class Accumulator:
    """Keeps n running sums."""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]

def accuracy(y_hat, y):
    """How many predicted classes equal the labels."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())

def evaluate_accuracy(net, data_iter):
    if isinstance(net, torch.nn.Module):
        net.eval()
    metric = Accumulator(2)
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]

def train_epoch_ch3(net, train_iter, loss, updater):
    if isinstance(net, torch.nn.Module):
        net.train()
    metric = Accumulator(3)
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
            updater(X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]

def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater):
    for epoch in range(num_epochs):
        train_metrics = train_epoch_ch3(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        print(f'epoch {epoch + 1}: loss {train_metrics[0]:.4f}, '
              f'train acc {train_metrics[1]:.3f}, test acc {test_acc:.3f}')
    train_loss, train_acc = train_metrics
    assert train_loss < 1.5, train_loss
    assert train_acc <= 1 and train_acc > 0.5, train_acc

num_epochs = 6
train_ch3(net, train_iter, test_iter, loss, num_epochs, trainer)
