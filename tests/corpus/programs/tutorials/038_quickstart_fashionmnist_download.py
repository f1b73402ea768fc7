# title: Quickstart as published: downloads FashionMNIST with torchvision and trains one epoch
# expect: refused (network)

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import ToTensor

# fetches the dataset into ./data on first use
training_data = datasets.FashionMNIST(
    root="data",
    train=True,
    download=True,
    transform=ToTensor(),
)
test_data = datasets.FashionMNIST(
    root="data",
    train=False,
    download=True,
    transform=ToTensor(),
)

train_dataloader = DataLoader(training_data, batch_size=64)
test_dataloader = DataLoader(test_data, batch_size=64)

model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(28 * 28, 512),
    nn.ReLU(),
    nn.Linear(512, 10),
)
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)

model.train()
for batch, (X, y) in enumerate(train_dataloader):
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    if batch % 100 == 0:
        print(f"loss: {loss.item():>7f}  [{(batch + 1) * len(X):>5d}/{len(training_data):>5d}]")

model.eval()
correct = 0
with torch.no_grad():
    for X, y in test_dataloader:
        correct += (model(X).argmax(1) == y).sum().item()
print(f"Accuracy: {100 * correct / len(test_data):>0.1f}%")
