# title: 3.7 softmax回归简洁实现（旧写法）：自定义FlattenLayer、gather、argmax准确率
# expect: match
import torch
from torch import nn
from torch.nn import init
from collections import OrderedDict

class FlattenLayer(nn.Module):
    def __init__(self):
        super(FlattenLayer, self).__init__()
    def forward(self, x): # x shape: (batch, *, *, ...)
        return x.view(x.shape[0], -1)

num_inputs = 16
num_outputs = 5
net = nn.Sequential(
    OrderedDict([
        ('flatten', FlattenLayer()),
        ('linear', nn.Linear(num_inputs, num_outputs))
    ])
)
init.normal_(net.linear.weight, mean=0, std=0.01)
init.constant_(net.linear.bias, val=0)

def softmax(X):
    X_exp = X.exp()
    partition = X_exp.sum(dim=1, keepdim=True)
    return X_exp / partition

y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
y = torch.LongTensor([0, 2])
print(y_hat.gather(1, y.view(-1, 1)))

def cross_entropy(y_hat, y):
    return - torch.log(y_hat.gather(1, y.view(-1, 1)))

def accuracy(y_hat, y):
    return (y_hat.argmax(dim=1) == y).float().mean().item()

print(accuracy(y_hat, y))
torch.manual_seed(0)
X = torch.rand(8, 4, 4)
labels = torch.randint(0, num_outputs, (8,))
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
for epoch in range(3):
    y_hat = softmax(net(X))
    l = cross_entropy(y_hat, labels).sum()
    optimizer.zero_grad()
    l.backward()
    optimizer.step()
    print('epoch %d, loss %.4f, train acc %.3f' % (epoch + 1, l.item() / 8, accuracy(y_hat, labels)))
