# title: 3.13 丢弃法（dropout）从零开始实现与简洁实现
# expect: match

import torch
import torch.nn as nn
import numpy as np
import torch.utils.data as Data


def dropout(X, drop_prob):
    X = X.float()
    assert 0 <= drop_prob <= 1
    keep_prob = 1 - drop_prob
    # 丢弃概率为1时全部置零
    if keep_prob == 0:
        return torch.zeros_like(X)
    mask = (torch.rand(X.shape) < keep_prob).float()

    return mask * X / keep_prob


X = torch.arange(12).view(2, 6)
print(dropout(X, 0), dropout(X, 0.5), dropout(X, 1.0), sep='\n')

# 定义模型参数（两个隐藏层）
num_inputs, num_outputs, num_hiddens1, num_hiddens2 = 784, 10, 128, 64

W1 = torch.tensor(np.random.normal(0, 0.01, size=(num_inputs, num_hiddens1)), dtype=torch.float, requires_grad=True)
b1 = torch.zeros(num_hiddens1, requires_grad=True)
W2 = torch.tensor(np.random.normal(0, 0.01, size=(num_hiddens1, num_hiddens2)), dtype=torch.float, requires_grad=True)
b2 = torch.zeros(num_hiddens2, requires_grad=True)
W3 = torch.tensor(np.random.normal(0, 0.01, size=(num_hiddens2, num_outputs)), dtype=torch.float, requires_grad=True)
b3 = torch.zeros(num_outputs, requires_grad=True)

params = [W1, b1, W2, b2, W3, b3]

drop_prob1, drop_prob2 = 0.2, 0.5


def net(X, is_training=True):
    X = X.view(-1, num_inputs)
    H1 = (torch.matmul(X, W1) + b1).relu()
    if is_training:  # 训练时才丢弃，评估时不丢弃
        H1 = dropout(H1, drop_prob1)  # 第一个隐藏层之后丢弃
    H2 = (torch.matmul(H1, W2) + b2).relu()
    if is_training:
        H2 = dropout(H2, drop_prob2)  # 第二个隐藏层之后丢弃
    return torch.matmul(H2, W3) + b3


def evaluate_accuracy(data_iter, net):
    acc_sum, n = 0.0, 0
    for X, y in data_iter:
        if isinstance(net, torch.nn.Module):
            net.eval()  # 切到eval模式，Dropout不再起作用
            acc_sum += (net(X).argmax(dim=1) == y).float().sum().item()
            net.train()  # 评估完切回train模式
        elif ('is_training' in net.__code__.co_varnames):  # 手写的net：有is_training参数就传False
            acc_sum += (net(X, is_training=False).argmax(dim=1) == y).float().sum().item()
        else:
            acc_sum += (net(X).argmax(dim=1) == y).float().sum().item()
        n += y.shape[0]
    return acc_sum / n


def train_ch3(net, train_iter, test_iter, loss, num_epochs, batch_size, params=None, lr=None, optimizer=None):
    for epoch in range(num_epochs):
        train_l_sum, train_acc_sum, n = 0.0, 0.0, 0
        for X, y in train_iter:
            y_hat = net(X)
            l = loss(y_hat, y).sum()
            if optimizer is not None:
                optimizer.zero_grad()
            elif params is not None and params[0].grad is not None:
                for param in params:
                    param.grad.data.zero_()
            l.backward()
            if optimizer is None:
                for param in params:
                    param.data -= lr * param.grad / batch_size
            else:
                optimizer.step()
            train_l_sum += l.item()
            train_acc_sum += (y_hat.argmax(dim=1) == y).sum().item()
            n += y.shape[0]
        test_acc = evaluate_accuracy(test_iter, net)
        print('epoch %d, loss %.4f, train acc %.3f, test acc %.3f'
              % (epoch + 1, train_l_sum / n, train_acc_sum / n, test_acc))


# 随机生成的数据
templates = 2 * torch.rand(10, 784)
y_all = torch.randint(0, 10, (800,))
X_all = templates[y_all] + 0.7 * torch.randn(800, 784)
batch_size = 128
train_iter = Data.DataLoader(Data.TensorDataset(X_all[:600], y_all[:600]), batch_size, shuffle=True)
test_iter = Data.DataLoader(Data.TensorDataset(X_all[600:], y_all[600:]), batch_size)

num_epochs, lr = 5, 50.0
loss = torch.nn.CrossEntropyLoss()
train_ch3(net, train_iter, test_iter, loss, num_epochs, batch_size, params, lr)

# 简洁实现
net = nn.Sequential(
    nn.Flatten(),
    nn.Linear(num_inputs, num_hiddens1),
    nn.ReLU(),
    nn.Dropout(drop_prob1),
    nn.Linear(num_hiddens1, num_hiddens2),
    nn.ReLU(),
    nn.Dropout(drop_prob2),
    nn.Linear(num_hiddens2, 10)
)

for param in net.parameters():
    nn.init.normal_(param, mean=0, std=0.01)

optimizer = torch.optim.SGD(net.parameters(), lr=0.5)
train_ch3(net, train_iter, test_iter, loss, num_epochs, batch_size, None, None, optimizer)
