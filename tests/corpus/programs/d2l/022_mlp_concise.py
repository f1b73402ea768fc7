# title: Concise MLP with nn.Sequential, ReLU and a hand-written training loop
# expect: match

import torch
from torch import nn
from torch.utils import data

# fake Fashion-MNIST-sized data so the notebook runs offline
mean_img = torch.rand(1, 1, 28, 28)
class_shift = 0.35 * torch.randn(10, 1, 28, 28)

def fake_fashion(n):
    y = torch.randint(0, 10, (n,))
    X = (mean_img + class_shift[y] + 0.6 * torch.randn(n, 1, 28, 28)).clamp(0, 1)
    return X, y

net = nn.Sequential(nn.Flatten(),
                    nn.Linear(784, 256),
                    nn.ReLU(),
                    nn.Linear(256, 10))

def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)

net.apply(init_weights)

batch_size, lr, num_epochs = 256, 0.2, 6
loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=lr)

train_iter = data.DataLoader(data.TensorDataset(*fake_fashion(1024)), batch_size, shuffle=True)
test_iter = data.DataLoader(data.TensorDataset(*fake_fashion(512)), batch_size, shuffle=False)

def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())

for epoch in range(num_epochs):
    net.train()
    total_loss, total_correct, total = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        trainer.zero_grad()
        l.mean().backward()
        trainer.step()
        total_loss += l.sum().item()
        total_correct += accuracy(y_hat, y)
        total += y.numel()
    net.eval()
    with torch.no_grad():
        correct = sum(accuracy(net(X), y) for X, y in test_iter)
    print(f'epoch {epoch + 1}, loss {total_loss / total:.3f}, '
          f'train acc {total_correct / total:.3f}, test acc {correct / 512:.3f}')
