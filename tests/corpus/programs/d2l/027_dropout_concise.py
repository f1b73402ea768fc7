# title: Concise dropout with nn.Dropout, train() and eval() modes
# expect: match

import torch
from torch import nn
from torch.utils import data

dropout1, dropout2 = 0.2, 0.5

net = nn.Sequential(nn.Flatten(),
        nn.Linear(784, 128),
        nn.ReLU(),
        # dropout after the first hidden layer
        nn.Dropout(dropout1),
        nn.Linear(128, 128),
        nn.ReLU(),
        # dropout after the second hidden layer
        nn.Dropout(dropout2),
        nn.Linear(128, 10))

def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)

net.apply(init_weights)

# nn.Dropout only drops in training mode
drop = nn.Dropout(0.5)
t = torch.ones(2, 8)
drop.train()
print('training mode, kept entries are scaled to:', drop(t).max().item())
drop.eval()
print('eval mode leaves input unchanged:', bool(torch.equal(drop(t), t)))

# synthetic 28x28 images standing in for Fashion-MNIST
avg = torch.rand(1, 1, 28, 28)
per_class = 0.4 * torch.randn(10, 1, 28, 28)
def sample(n):
    y = torch.randint(0, 10, (n,))
    return (avg + per_class[y] + 0.5 * torch.randn(n, 1, 28, 28)).clamp(0, 1), y

train_iter = data.DataLoader(data.TensorDataset(*sample(1024)), 64, shuffle=True)
test_iter = data.DataLoader(data.TensorDataset(*sample(256)), 256)

num_epochs, lr = 6, 0.3
loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=lr)

for epoch in range(num_epochs):
    net.train()
    l_sum, n = 0.0, 0
    for X, y in train_iter:
        l = loss(net(X), y)
        trainer.zero_grad()
        l.mean().backward()
        trainer.step()
        l_sum += l.sum().item()
        n += y.numel()
    net.eval()
    with torch.no_grad():
        correct = sum((net(X).argmax(dim=1) == y).sum().item() for X, y in test_iter)
    print(f'epoch {epoch + 1}, train loss {l_sum / n:.3f}, test acc {correct / 256:.3f}')
