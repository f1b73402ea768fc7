# title: 线性回归的从零开始实现
# expect: match

import random
import torch

def synthetic_data(w, b, num_examples):
    """按真实参数造数据，并加上少量高斯噪声"""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))

true_w = torch.tensor([1.5, -2.8])
true_b = 3.6
features, labels = synthetic_data(true_w, true_b, 800)
print('features:', features[0], '\nlabel:', labels[0])

def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    # 打乱样本的读取顺序
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(
            indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]

batch_size = 16
for X, y in data_iter(batch_size, features, labels):
    print(X.shape, '\n', y.shape)
    break

# 权重取很小的随机数，偏置取0
w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)

def linreg(X, w, b):
    """线性模型：矩阵乘法加偏置"""
    return torch.matmul(X, w) + b

def squared_loss(y_hat, y):
    """逐样本的平方误差（带1/2系数）"""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

def sgd(params, lr, batch_size):
    """就地更新参数，然后把梯度清零"""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()

lr = 0.05
num_epochs = 4
net = linreg
loss = squared_loss

for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels):
        l = loss(net(X, w, b), y)  # 当前批次的逐样本损失
        # l是每个样本一个值的列向量，加起来变成标量才能backward
        l.sum().backward()
        sgd([w, b], lr, batch_size)  # 用梯度更新参数
    with torch.no_grad():
        train_l = loss(net(features, w, b), labels)
        print(f'epoch {epoch + 1}, 损失 {float(train_l.mean()):f}')

print(f'w与真实值之差: {true_w - w.reshape(true_w.shape)}')
print(f'b与真实值之差: {true_b - b}')
