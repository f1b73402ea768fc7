# title: Training LeNet with train_ch6 on synthetic 28x28 images (CPU)
# expect: match

import time
import torch
from torch import nn
from torch.utils import data

class Timer:
    """Stopwatch that keeps every interval."""
    def __init__(self):
        self.times = []
        self.start()

    def start(self):
        self.tik = time.time()

    def stop(self):
        self.times.append(time.time() - self.tik)
        return self.times[-1]

    def sum(self):
        return sum(self.times)

class Accumulator:
    """Keeps n running sums."""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def __getitem__(self, idx):
        return self.data[idx]

def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())

def try_gpu(i=0):
    if torch.cuda.device_count() >= i + 1:
        return torch.device(f'cuda:{i}')
    return torch.device('cpu')

net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Flatten(),
    nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
    nn.Linear(120, 84), nn.Sigmoid(),
    nn.Linear(84, 10))

# synthetic image classes: blurry blobs at different positions
centers = torch.rand(10, 2) * 20 + 4
grid = torch.arange(28, dtype=torch.float32)
def make_images(n):
    y = torch.randint(0, 10, (n,))
    cy, cx = centers[y, 0], centers[y, 1]
    img = torch.exp(-((grid.view(1, 28, 1) - cy.view(-1, 1, 1)) ** 2 +
                      (grid.view(1, 1, 28) - cx.view(-1, 1, 1)) ** 2) / 30)
    img = img + 0.2 * torch.randn(n, 28, 28)
    return img.unsqueeze(1), y

batch_size = 32
train_iter = data.DataLoader(data.TensorDataset(*make_images(512)), batch_size, shuffle=True)
test_iter = data.DataLoader(data.TensorDataset(*make_images(256)), batch_size)

def evaluate_accuracy_gpu(net, data_iter, device=None):
    """Fraction of correct predictions, computed on the model's device."""
    if isinstance(net, nn.Module):
        net.eval()
        if not device:
            device = next(iter(net.parameters())).device
    metric = Accumulator(2)
    with torch.no_grad():
        for X, y in data_iter:
            X, y = X.to(device), y.to(device)
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]

def train_ch6(net, train_iter, test_iter, num_epochs, lr, device):
    def init_weights(m):
        if type(m) == nn.Linear or type(m) == nn.Conv2d:
            nn.init.xavier_uniform_(m.weight)
    net.apply(init_weights)
    print('training on', device)
    net.to(device)
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    loss = nn.CrossEntropyLoss()
    timer, num_batches = Timer(), len(train_iter)
    for epoch in range(num_epochs):
        metric = Accumulator(3)
        net.train()
        for i, (X, y) in enumerate(train_iter):
            timer.start()
            optimizer.zero_grad()
            X, y = X.to(device), y.to(device)
            y_hat = net(X)
            l = loss(y_hat, y)
            l.backward()
            optimizer.step()
            with torch.no_grad():
                metric.add(l * X.shape[0], accuracy(y_hat, y), X.shape[0])
            timer.stop()
            train_l = metric[0] / metric[2]
            train_acc = metric[1] / metric[2]
        test_acc = evaluate_accuracy_gpu(net, test_iter)
        print(f'epoch {epoch + 1}: loss {train_l:.3f}, train acc {train_acc:.3f}, '
              f'test acc {test_acc:.3f}')
    # examples/sec depends on the machine, so it is not printed
    speed = metric[2] * num_epochs / timer.sum()

lr, num_epochs = 0.9, 5
train_ch6(net, train_iter, test_iter, num_epochs, lr, try_gpu())
