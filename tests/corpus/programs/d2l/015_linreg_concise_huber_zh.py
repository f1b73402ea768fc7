# title: 线性回归的简洁实现：练习（Huber损失、访问梯度、损失求和）
# expect: match

import torch
from torch.utils import data
from torch import nn

def synthetic_data(w, b, num_examples):
    """按真实参数造数据，并加上少量高斯噪声"""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))

def load_array(data_arrays, batch_size, is_train=True):
    """把张量包装成TensorDataset，再交给DataLoader"""
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)

true_w = torch.tensor([3.0, -1.0, 0.5])
true_b = -2.0
features, labels = synthetic_data(true_w, true_b, 600)
data_iter = load_array((features, labels), 12)

def train(loss, lr, num_epochs=3):
    net = nn.Sequential(nn.Linear(3, 1))
    net[0].weight.data.normal_(0, 0.01)
    net[0].bias.data.fill_(0)
    trainer = torch.optim.SGD(net.parameters(), lr=lr)
    for epoch in range(num_epochs):
        for X, y in data_iter:
            l = loss(net(X), y)
            trainer.zero_grad()
            l.backward()
            trainer.step()
        with torch.no_grad():
            l = nn.MSELoss()(net(features), labels)
        print(f'epoch {epoch + 1}, 均方损失 {l:f}')
    return net

# 练习1：用损失之和代替平均，学习率需要相应地除以批量大小
print('损失求和:')
net = train(nn.MSELoss(reduction='sum'), lr=0.03 / 12)

# 练习2：改用Huber损失
print('Huber损失:')
net = train(nn.HuberLoss(delta=1.0), lr=0.1, num_epochs=5)

# 练习3：访问线性层的梯度
X, y = next(iter(data_iter))
l = nn.HuberLoss()(net(X), y)
net.zero_grad()
l.backward()
print('权重梯度的形状:', net[0].weight.grad.shape)
print('偏置梯度的形状:', net[0].bias.grad.shape)
print('w的偏差：', true_w - net[0].weight.data.reshape(true_w.shape))
print('b的偏差：', true_b - net[0].bias.data)
