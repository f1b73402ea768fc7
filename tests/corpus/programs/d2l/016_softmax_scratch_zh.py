# title: softmax回归的从零开始实现（合成图像数据代替Fashion-MNIST）
# expect: match

import torch
from torch.utils import data

# 用合成数据代替Fashion-MNIST：每个类别一个原型图像，加上噪声
num_classes = 10
background = torch.rand(1, 1, 28, 28)
prototypes = background + 0.2 * torch.randn(num_classes, 1, 28, 28)

def make_images(n):
    y = torch.randint(0, num_classes, (n,))
    X = (prototypes[y] + 0.5 * torch.randn(n, 1, 28, 28)).clamp(0, 1)
    return X, y

def load_data_synthetic(batch_size):
    """合成的训练集与测试集，各自包装成DataLoader"""
    train = data.TensorDataset(*make_images(1024))
    test = data.TensorDataset(*make_images(512))
    return (data.DataLoader(train, batch_size, shuffle=True),
            data.DataLoader(test, batch_size, shuffle=False))

batch_size = 256
train_iter, test_iter = load_data_synthetic(batch_size)

num_inputs = 784
num_outputs = 10
W = torch.normal(0, 0.01, size=(num_inputs, num_outputs), requires_grad=True)
b = torch.zeros(num_outputs, requires_grad=True)

X = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(X.sum(0, keepdim=True), X.sum(1, keepdim=True))

def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition  # 每行除以该行之和（广播）

X = torch.normal(0, 1, (2, 5))
X_prob = softmax(X)
print(X_prob.sum(1))

def net(X):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)

y = torch.tensor([0, 2])
y_hat = torch.tensor([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
print(y_hat[[0, 1], y])

def cross_entropy(y_hat, y):
    return - torch.log(y_hat[range(len(y_hat)), y])

print(cross_entropy(y_hat, y))

def accuracy(y_hat, y):
    """统计预测类别与标签一致的样本个数"""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())

print(accuracy(y_hat, y) / len(y))

class Accumulator:
    """同时维护n个累加和"""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]

def evaluate_accuracy(net, data_iter):
    """遍历数据集，返回分类正确的比例"""
    if isinstance(net, torch.nn.Module):
        net.eval()
    metric = Accumulator(2)  # 累加：答对的个数、样本总数
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]

print('初始精度接近随机猜测:', evaluate_accuracy(net, test_iter) < 0.3)

def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()

def train_epoch_ch3(net, train_iter, loss, updater):
    metric = Accumulator(3)  # [损失之和, 答对个数, 样本数]
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        l.sum().backward()
        updater(X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]

lr = 0.1

def updater(batch_size):
    return sgd([W, b], lr, batch_size)

num_epochs = 5
for epoch in range(num_epochs):
    train_loss, train_acc = train_epoch_ch3(net, train_iter, cross_entropy, updater)
    test_acc = evaluate_accuracy(net, test_iter)
    print(f'epoch {epoch + 1}, 损失 {train_loss:.3f}, 训练精度 {train_acc:.3f}, 测试精度 {test_acc:.3f}')
