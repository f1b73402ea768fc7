# title: Zeroing out gradients between batches, with and without optimizer.zero_grad()
# expect: match

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import TensorDataset, DataLoader

# a small image set standing in for the 3x32x32 dataset in the recipe
labels = torch.randint(0, 4, (160,))
colour = torch.tensor([[1., 0., 0.], [0., 1., 0.], [0., 0., 1.], [1., 1., 0.]])
images = torch.randn(160, 3, 32, 32) + 0.5 * colour[labels].view(160, 3, 1, 1)
trainloader = DataLoader(TensorDataset(images, labels), batch_size=8, shuffle=True)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 4)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


net = Net()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)

for epoch in range(2):
    running_loss = 0.0
    for i, data in enumerate(trainloader, 0):
        inputs, labels = data

        # forget the previous batch's gradients
        optimizer.zero_grad()

        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()

        running_loss += loss.item()
        if i % 10 == 9:
            print('[%d, %5d] loss: %.3f' % (epoch + 1, i + 1, running_loss / 10))
            running_loss = 0.0

print('Finished Training')

# what goes wrong without zeroing: two identical backward passes double the grad
xb, yb = next(iter(trainloader))
net.zero_grad()
criterion(net(xb), yb).backward()
once = net.fc3.bias.grad.clone()
criterion(net(xb), yb).backward()
print(torch.allclose(net.fc3.bias.grad, 2 * once))

# zero_grad() sets the grads to None by default; zero_grad(set_to_none=False) keeps zero tensors
optimizer.zero_grad()
print(net.fc3.bias.grad)
criterion(net(xb), yb).backward()
optimizer.zero_grad(set_to_none=False)
print(net.fc3.bias.grad)
