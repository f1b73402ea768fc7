# title: 3.7 softmax回归的简洁实现
# expect: match

import torch
from torch import nn
from torch.nn import init
import torch.utils.data as Data
from collections import OrderedDict

# 随机生成形状为(批量, 1, 28, 28)的"图片"和10类标签
num_inputs = 784
num_outputs = 10
centers = torch.randn(num_outputs, 1, 28, 28) * 0.1


def synthetic_images(n):
    y = torch.randint(0, num_outputs, (n,))
    X = centers[y] + 2 * torch.randn(n, 1, 28, 28)
    return X, y


batch_size = 128
train_iter = Data.DataLoader(Data.TensorDataset(*synthetic_images(768)), batch_size, shuffle=True)
test_iter = Data.DataLoader(Data.TensorDataset(*synthetic_images(256)), batch_size)


class FlattenLayer(nn.Module):
    def __init__(self):
        super(FlattenLayer, self).__init__()

    def forward(self, x):  # 把除了batch以外的维度都拉平
        return x.view(x.shape[0], -1)


net = nn.Sequential(
    # 也可以不用OrderedDict，直接按顺序传入各层
    # （那样各层名字就是0、1）
    OrderedDict([
        ('flatten', FlattenLayer()),
        ('linear', nn.Linear(num_inputs, num_outputs))])
)
print(net)

init.normal_(net.linear.weight, mean=0, std=0.01)
init.constant_(net.linear.bias, val=0)

# CrossEntropyLoss 内部已经包含了softmax
loss = nn.CrossEntropyLoss()

# 优化算法
optimizer = torch.optim.SGD(net.parameters(), lr=0.05)


def evaluate_accuracy(data_iter, net):
    acc_sum, n = 0.0, 0
    for X, y in data_iter:
        acc_sum += (net(X).argmax(dim=1) == y).float().sum().item()
        n += y.shape[0]
    return acc_sum / n


# 训练模型
num_epochs = 4
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
    print('epoch %d, loss %.4f, train acc %.3f, test acc %.3f'
          % (epoch + 1, train_l_sum / n, train_acc_sum / n, test_acc))
