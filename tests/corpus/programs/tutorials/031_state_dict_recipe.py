# title: What is a state_dict? Inspecting model and optimizer state and loading it into a fresh model
# expect: match

import copy
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.bn = nn.BatchNorm1d(120)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.bn(self.fc1(x)))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


net = Net()
print(net)

optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

# parameters and buffers (the batchnorm running stats) by name
print("Model's state_dict:")
for param_tensor in net.state_dict():
    print(param_tensor, "\t", net.state_dict()[param_tensor].size())

print("Optimizer's state_dict:")
for var_name in optimizer.state_dict():
    print(var_name, "\t", optimizer.state_dict()[var_name])

# one step so that the optimizer has momentum buffers to show
out = net(torch.randn(8, 3, 32, 32))
loss = F.cross_entropy(out, torch.randint(0, 10, (8,)))
loss.backward()
optimizer.step()
state = optimizer.state_dict()["state"]
print(len(state), sorted(state[0].keys()))
print(net.bn.num_batches_tracked)

# keep an in-memory snapshot and restore it into a brand-new model
snapshot = copy.deepcopy(net.state_dict())
net2 = Net()
print(torch.equal(net2.fc3.weight, net.fc3.weight))
result = net2.load_state_dict(snapshot)
print(result)
print(torch.equal(net2.fc3.weight, net.fc3.weight))

net.eval()
net2.eval()
probe = torch.randn(2, 3, 32, 32)
with torch.no_grad():
    print(torch.allclose(net(probe), net2(probe)))

# a partial load: only the convolution layers, the rest stays as initialised
conv_only = {k: v for k, v in snapshot.items() if k.startswith("conv")}
net3 = Net()
missing, unexpected = net3.load_state_dict(conv_only, strict=False)
print(len(missing), unexpected)
