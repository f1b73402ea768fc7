# title: 3.10 多层感知机的简洁实现
# expect: match

import torch
from torch import nn
from torch.nn import init
import torch.utils.data as Data


class FlattenLayer(nn.Module):
    def __init__(self):
        super(FlattenLayer, self).__init__()

    def forward(self, x):  # 把除了batch以外的维度都拉平
        return x.view(x.shape[0], -1)


# 定义模型
num_inputs, num_outputs, num_hiddens = 784, 10, 128

net = nn.Sequential(
    FlattenLayer(),
    nn.Linear(num_inputs, num_hiddens),
    nn.ReLU(),
    nn.Linear(num_hiddens, num_outputs),
)

for params in net.parameters():
    init.normal_(params, mean=0, std=0.01)

print(net)

# 读取数据（随机生成）
base = torch.rand(10, 1, 28, 28)
y_train = torch.randint(0, 10, (640,))
X_train = base[y_train] + torch.randn(640, 1, 28, 28)
y_test = torch.randint(0, 10, (160,))
X_test = base[y_test] + torch.randn(160, 1, 28, 28)

batch_size = 64
train_iter = Data.DataLoader(Data.TensorDataset(X_train, y_train), batch_size, shuffle=True)
test_iter = Data.DataLoader(Data.TensorDataset(X_test, y_test), batch_size, shuffle=False)

loss = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)


def evaluate_accuracy(data_iter, net):
    acc_sum, n = 0.0, 0
    for X, y in data_iter:
        acc_sum += (net(X).argmax(dim=1) == y).float().sum().item()
        n += y.shape[0]
    return acc_sum / n


num_epochs = 3
for epoch in range(num_epochs):
    train_l_sum, train_acc_sum, n = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y).sum()
        optimizer.zero_grad()
        l.backward()
        optimizer.step()
        train_l_sum += l.item()
        train_acc_sum += (y_hat.argmax(dim=1) == y).sum().item()
        n += y.shape[0]
    test_acc = evaluate_accuracy(test_iter, net)
    print('epoch {}, loss {:.4f}, train acc {:.3f}, test acc {:.3f}'.format(
        epoch + 1, train_l_sum / n, train_acc_sum / n, test_acc))
