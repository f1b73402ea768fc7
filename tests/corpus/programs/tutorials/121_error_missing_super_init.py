# title: the error a learner hits: forgetting super().__init__() in a Module
# expect: match
import torch
import torch.nn as nn

class MyNet(nn.Module):
    def __init__(self):
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)

net = MyNet()
print(net(torch.randn(1, 4)))
