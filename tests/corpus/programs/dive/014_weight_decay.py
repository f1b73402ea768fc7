# title: 3.12 权重衰减：高维线性回归的从零实现与简洁实现
# expect: match

import torch
import torch.nn as nn
import numpy as np

n_train, n_test, num_inputs = 20, 100, 150
true_w, true_b = torch.ones(num_inputs, 1) * 0.02, 0.03

features = torch.randn((n_train + n_test, num_inputs))
labels = torch.matmul(features, true_w) + true_b
labels += torch.tensor(np.random.normal(0, 0.01, size=labels.size()), dtype=torch.float)
train_features, test_features = features[:n_train, :], features[n_train:, :]
train_labels, test_labels = labels[:n_train], labels[n_train:]


# 参数初始化
def init_params():
    w = torch.randn((num_inputs, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    return [w, b]


# 定义L2范数惩罚项
def l2_penalty(w):
    return (w**2).sum() / 2


def linreg(X, w, b):
    return torch.mm(X, w) + b


def squared_loss(y_hat, y):
    return ((y_hat - y.view(y_hat.size())) ** 2) / 2


def sgd(params, lr, batch_size):
    for param in params:
        param.data -= lr * param.grad / batch_size


batch_size, num_epochs, lr = 1, 20, 0.003
net, loss = linreg, squared_loss

dataset = torch.utils.data.TensorDataset(train_features, train_labels)
train_iter = torch.utils.data.DataLoader(dataset, batch_size, shuffle=True)


def fit_and_plot(lambd):
    w, b = init_params()
    train_ls, test_ls = [], []
    for _ in range(num_epochs):
        for X, y in train_iter:
            # 损失里加上 lambd * ||w||^2 / 2
            l = loss(net(X, w, b), y) + lambd * l2_penalty(w)
            l = l.sum()

            if w.grad is not None:
                w.grad.data.zero_()
                b.grad.data.zero_()
            l.backward()
            sgd([w, b], lr, batch_size)
        train_ls.append(loss(net(train_features, w, b), train_labels).mean().item())
        test_ls.append(loss(net(test_features, w, b), test_labels).mean().item())
    print('lambd=%d: train loss %.6f, test loss %.6f' % (lambd, train_ls[-1], test_ls[-1]))
    print('L2 norm of w:', w.norm().item())


# 不加惩罚：训练误差很小，测试误差很大
fit_and_plot(lambd=0)
# 加上权重衰减之后
fit_and_plot(lambd=3)


# 简洁实现：直接给优化器传 weight_decay
def fit_and_plot_pytorch(wd):
    # 只对weight做衰减，bias不衰减，所以分成两个优化器
    net = nn.Linear(num_inputs, 1)
    nn.init.normal_(net.weight, mean=0, std=1)
    nn.init.normal_(net.bias, mean=0, std=1)
    optimizer_w = torch.optim.SGD(params=[net.weight], lr=lr, weight_decay=wd)  # weight 的优化器带 weight_decay
    optimizer_b = torch.optim.SGD(params=[net.bias], lr=lr)  # bias 的优化器不带

    train_ls, test_ls = [], []
    for _ in range(num_epochs):
        for X, y in train_iter:
            l = loss(net(X), y).mean()
            optimizer_w.zero_grad()
            optimizer_b.zero_grad()

            l.backward()

            # 两个优化器各自step一次，分别更新w和b
            optimizer_w.step()
            optimizer_b.step()
        train_ls.append(loss(net(train_features), train_labels).mean().item())
        test_ls.append(loss(net(test_features), test_labels).mean().item())
    print('wd={}: train loss {:.6f}, test loss {:.6f}'.format(wd, train_ls[-1], test_ls[-1]))
    print('L2 norm of w:', net.weight.data.norm().item())


fit_and_plot_pytorch(0)
fit_and_plot_pytorch(3)
