# title: 3.9 多层感知机的从零开始实现
# expect: match

import torch
import numpy as np
import torch.utils.data as Data

# 读取数据：用随机数据代替Fashion-MNIST，形状(样本数, 1, 28, 28)
def load_data_fake_mnist(batch_size, n_train=900, n_test=300):
    proto = torch.rand(10, 1, 28, 28)
    def gen(n):
        y = torch.randint(0, 10, (n,))
        X = (proto[y] + 0.8 * torch.randn(n, 1, 28, 28)).clamp(0.0, 1.0)
        return Data.TensorDataset(X, y)
    train_iter = Data.DataLoader(gen(n_train), batch_size=batch_size, shuffle=True)
    test_iter = Data.DataLoader(gen(n_test), batch_size=batch_size, shuffle=False)
    return train_iter, test_iter

batch_size = 256
train_iter, test_iter = load_data_fake_mnist(batch_size)

# 模型参数：一个隐藏层
num_inputs, num_outputs, num_hiddens = 784, 10, 256

W1 = torch.tensor(np.random.normal(0, 0.01, (num_inputs, num_hiddens)), dtype=torch.float)
b1 = torch.zeros(num_hiddens, dtype=torch.float)
W2 = torch.tensor(np.random.normal(0, 0.01, (num_hiddens, num_outputs)), dtype=torch.float)
b2 = torch.zeros(num_outputs, dtype=torch.float)

params = [W1, b1, W2, b2]
for param in params:
    param.requires_grad_(requires_grad=True)

# 手写的ReLU
def relu(X):
    return torch.max(input=X, other=torch.tensor(0.0))

# 定义模型
def net(X):
    X = X.view((-1, num_inputs))
    H = relu(torch.matmul(X, W1) + b1)
    return torch.matmul(H, W2) + b2

# 损失函数
loss = torch.nn.CrossEntropyLoss()

def sgd(params, lr, batch_size):
    for param in params:
        param.data -= lr * param.grad / batch_size

def evaluate_accuracy(data_iter, net):
    acc_sum, n = 0.0, 0
    for X, y in data_iter:
        acc_sum += (net(X).argmax(dim=1) == y).float().sum().item()
        n += y.shape[0]
    return acc_sum / n

# 训练模型
# CrossEntropyLoss 已经对batch取了平均，sgd里又除了一次batch_size，所以lr要设得很大
num_epochs, lr = 4, 100.0
for epoch in range(num_epochs):
    train_l_sum, train_acc_sum, n = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y).sum()
        if params[0].grad is not None:
            for param in params:
                param.grad.data.zero_()
        l.backward()
        sgd(params, lr, batch_size)
        train_l_sum += l.item()
        train_acc_sum += (y_hat.argmax(dim=1) == y).sum().item()
        n += y.shape[0]
    test_acc = evaluate_accuracy(test_iter, net)
    print('epoch %d, loss %.4f, train acc %.3f, test acc %.3f'
          % (epoch + 1, train_l_sum / n, train_acc_sum / n, test_acc))
