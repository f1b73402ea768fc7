# title: Learning rate scheduling: square-root, factor, multi-step and cosine schedules
# expect: match

import math
import torch
from torch import nn
from torch.optim import lr_scheduler

def net_fn():
    return nn.Sequential(
        nn.Conv2d(1, 4, kernel_size=3, padding=1), nn.ReLU(),
        nn.MaxPool2d(kernel_size=2, stride=2), nn.Flatten(),
        nn.Linear(4 * 8 * 8, 32), nn.ReLU(), nn.Linear(32, 4))

loss = nn.CrossEntropyLoss()
# four classes of 16x16 images: bright quadrant indicates the class
def make(n):
    y = torch.randint(0, 4, (n,))
    X = 0.5 * torch.randn(n, 1, 16, 16)
    for k in range(4):
        r, c = divmod(k, 2)
        X[y == k, :, r * 8:(r + 1) * 8, c * 8:(c + 1) * 8] += 1.0
    return X, y

(X_train, y_train), (X_test, y_test) = make(256), make(128)

def train(net, num_epochs, trainer, scheduler=None):
    for epoch in range(num_epochs):
        net.train()
        for i in range(0, 256, 32):
            X, y = X_train[i:i + 32], y_train[i:i + 32]
            trainer.zero_grad()
            l = loss(net(X), y)
            l.backward()
            trainer.step()
        if scheduler:
            if scheduler.__module__ == lr_scheduler.__name__:  # one of torch's own
                scheduler.step()
            else:  # our own callable
                for param_group in trainer.param_groups:
                    param_group['lr'] = scheduler(epoch)
    net.eval()
    with torch.no_grad():
        acc = (net(X_test).argmax(1) == y_test).float().mean().item()
    print(f'train loss {l.item():.3f}, test acc {acc:.3f}, '
          f'final lr {trainer.param_groups[0]["lr"]:.4f}')

lr, num_epochs = 0.3, 6
net = net_fn()
trainer = torch.optim.SGD(net.parameters(), lr=lr)
train(net, num_epochs, trainer)
trainer.param_groups[0]["lr"] = 0.1
print(f'lr set to {trainer.param_groups[0]["lr"]:.2f}')

class SquareRootScheduler:
    def __init__(self, lr=0.1):
        self.lr = lr
    def __call__(self, num_update):
        return self.lr * pow(num_update + 1.0, -0.5)

scheduler = SquareRootScheduler(lr=0.3)
print([round(scheduler(t), 4) for t in range(num_epochs)])
net = net_fn()
trainer = torch.optim.SGD(net.parameters(), lr)
train(net, num_epochs, trainer, scheduler)

class FactorScheduler:
    def __init__(self, factor=1, stop_factor_lr=1e-7, base_lr=0.1):
        self.factor = factor
        self.stop_factor_lr = stop_factor_lr
        self.base_lr = base_lr
    def __call__(self, num_update):
        self.base_lr = max(self.stop_factor_lr, self.base_lr * self.factor)
        return self.base_lr

scheduler = FactorScheduler(factor=0.8, stop_factor_lr=1e-2, base_lr=1.0)
print([round(scheduler(t), 4) for t in range(12)])

net = net_fn()
trainer = torch.optim.SGD(net.parameters(), lr=0.5)
scheduler = lr_scheduler.MultiStepLR(trainer, milestones=[2, 4], gamma=0.5)

def get_lr(trainer, scheduler):
    lr = scheduler.get_last_lr()[0]
    trainer.step()
    scheduler.step()
    return lr

print([get_lr(trainer, scheduler) for t in range(num_epochs)])

class CosineScheduler:
    def __init__(self, max_update, base_lr=0.01, final_lr=0,
                 warmup_steps=0, warmup_begin_lr=0):
        self.base_lr_orig = base_lr
        self.max_update = max_update
        self.final_lr = final_lr
        self.warmup_steps = warmup_steps
        self.warmup_begin_lr = warmup_begin_lr
        self.max_steps = self.max_update - self.warmup_steps

    def get_warmup_lr(self, epoch):
        increase = (self.base_lr_orig - self.warmup_begin_lr) \
                       * float(epoch) / float(self.warmup_steps)
        return self.warmup_begin_lr + increase

    def __call__(self, epoch):
        if epoch < self.warmup_steps:
            return self.get_warmup_lr(epoch)
        if epoch <= self.max_update:
            self.base_lr = self.final_lr + (
                self.base_lr_orig - self.final_lr) * (1 + math.cos(
                math.pi * (epoch - self.warmup_steps) / self.max_steps)) / 2
        return self.base_lr

scheduler = CosineScheduler(max_update=10, base_lr=0.3, final_lr=0.01, warmup_steps=2)
print([round(scheduler(t), 4) for t in range(12)])
net = net_fn()
trainer = torch.optim.SGD(net.parameters(), lr=0.3)
train(net, num_epochs, trainer, scheduler)
