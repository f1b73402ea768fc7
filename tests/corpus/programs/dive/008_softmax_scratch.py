# title: 3.6 softmax回归的从零开始实现（用随机生成的28x28图片代替Fashion-MNIST）
# expect: match

import torch
import torch.utils.data as Data
import numpy as np

# 获取和读取数据：这里不下载数据集，随机生成和Fashion-MNIST形状一样的数据
# 每个类别有一个"原型"图片，样本 = 原型 + 噪声
n_train, n_test = 1000, 200
prototypes = torch.rand(10, 1, 28, 28)

def make_data(n):
    labels = torch.randint(0, 10, (n,))
    images = prototypes[labels] + 1.5 * torch.randn(n, 1, 28, 28)
    return images.clamp(0, 1), labels

train_features, train_labels = make_data(n_train)
test_features, test_labels = make_data(n_test)
print(train_features.shape, train_labels.shape)

batch_size = 256
train_iter = Data.DataLoader(Data.TensorDataset(train_features, train_labels), batch_size=batch_size, shuffle=True)
test_iter = Data.DataLoader(Data.TensorDataset(test_features, test_labels), batch_size=batch_size, shuffle=False)

# 参数初始化
num_inputs = 784
num_outputs = 10

W = torch.tensor(np.random.normal(0, 0.01, (num_inputs, num_outputs)), dtype=torch.float)
b = torch.zeros(num_outputs, dtype=torch.float)

W.requires_grad_(requires_grad=True)
b.requires_grad_(requires_grad=True)

# softmax：先取指数，再按行归一化
def softmax(X):
    X_exp = X.exp()
    partition = X_exp.sum(dim=1, keepdim=True)
    return X_exp / partition  # (n,k) 除以 (n,1)，靠广播完成

X = torch.rand((2, 5))
X_prob = softmax(X)
print(X_prob, X_prob.sum(dim=1))

# 定义模型
def net(X):
    return softmax(torch.mm(X.view((-1, num_inputs)), W) + b)

# 损失函数
y_hat = torch.tensor([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])
y = torch.LongTensor([1, 2])
print(y_hat.gather(1, y.view(-1, 1)))

def cross_entropy(y_hat, y):
    return - torch.log(y_hat.gather(1, y.view(-1, 1)))

# 分类准确率
def accuracy(y_hat, y):
    return (y_hat.argmax(dim=1) == y).float().mean().item()

print(accuracy(y_hat, y))

def evaluate_accuracy(data_iter, net):
    acc_sum, n = 0.0, 0
    for X, y in data_iter:
        acc_sum += (net(X).argmax(dim=1) == y).float().sum().item()
        n += y.shape[0]
    return acc_sum / n

print(evaluate_accuracy(test_iter, net))

def sgd(params, lr, batch_size):
    for param in params:
        param.data -= lr * param.grad / batch_size

# 训练模型
num_epochs, lr = 3, 0.1

def train_ch3(net, train_iter, test_iter, loss, num_epochs, batch_size, params, lr):
    for epoch in range(num_epochs):
        train_l_sum, train_acc_sum, n = 0.0, 0.0, 0
        for X, y in train_iter:
            y_hat = net(X)
            l = loss(y_hat, y).sum()

            # 梯度清零
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

train_ch3(net, train_iter, test_iter, cross_entropy, num_epochs, batch_size, [W, b], lr)

# 预测
def get_fashion_mnist_labels(labels):
    text_labels = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat',
                   'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot']
    return [text_labels[int(i)] for i in labels]

X, y = next(iter(test_iter))
true_labels = get_fashion_mnist_labels(y.numpy())
pred_labels = get_fashion_mnist_labels(net(X).argmax(dim=1).numpy())
titles = [true + '\n' + pred for true, pred in zip(true_labels, pred_labels)]
print(titles[0:5])
