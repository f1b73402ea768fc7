# title: Training with PyTorch: train_one_epoch, per-epoch validation, and keeping the best model state
# expect: match

import copy
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader

classes = ('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
           'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle Boot')

# garment-like images: each class has its own blurry silhouette
silhouettes = (F.avg_pool2d(torch.rand(10, 1, 28, 28), 5, stride=1, padding=2) > 0.5).float()


def garments(n):
    labels = torch.randint(0, 10, (n,))
    imgs = silhouettes[labels] + 0.8 * torch.randn(n, 1, 28, 28)
    return TensorDataset((imgs - 0.5) / 0.5, labels)


training_loader = DataLoader(garments(480), batch_size=16, shuffle=True)
validation_loader = DataLoader(garments(160), batch_size=16, shuffle=False)
print('Training set has {} instances'.format(len(training_loader.dataset)))
print('Validation set has {} instances'.format(len(validation_loader.dataset)))


class GarmentClassifier(nn.Module):
    def __init__(self):
        super(GarmentClassifier, self).__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 4 * 4, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 4 * 4)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


model = GarmentClassifier()
loss_fn = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


def train_one_epoch(epoch_index):
    running_loss = 0.
    last_loss = 0.
    for i, data in enumerate(training_loader):
        inputs, labels = data
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = loss_fn(outputs, labels)
        loss.backward()
        optimizer.step()

        running_loss += loss.item()
        if i % 10 == 9:
            last_loss = running_loss / 10
            print('  batch {} loss: {:.4f}'.format(i + 1, last_loss))
            running_loss = 0.
    return last_loss


EPOCHS = 3
best_vloss = 1_000_000.
best_state = None

for epoch_number in range(EPOCHS):
    print('EPOCH {}:'.format(epoch_number + 1))
    model.train(True)
    avg_loss = train_one_epoch(epoch_number)

    running_vloss = 0.0
    model.eval()
    with torch.no_grad():
        for i, vdata in enumerate(validation_loader):
            vinputs, vlabels = vdata
            voutputs = model(vinputs)
            vloss = loss_fn(voutputs, vlabels)
            running_vloss += vloss

    avg_vloss = running_vloss / (i + 1)
    print('LOSS train {:.4f} valid {:.4f}'.format(avg_loss, avg_vloss))

    if avg_vloss < best_vloss:
        best_vloss = avg_vloss
        best_state = copy.deepcopy(model.state_dict())
        print('  new best model at epoch {}'.format(epoch_number + 1))

model.load_state_dict(best_state)
print('best validation loss {:.4f}'.format(best_vloss))
