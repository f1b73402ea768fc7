# title: 3.7 softmax回归的简洁实现（使用d2lzh_pytorch包）
# expect: refused (package)

import torch
from torch import nn
from torch.nn import init
import sys
sys.path.append("..")  # d2lzh_pytorch 放在上一级目录
import d2lzh_pytorch as d2l

print(torch.__version__)

batch_size = 256
train_iter, test_iter = d2l.load_data_fashion_mnist(batch_size)

num_inputs = 784
num_outputs = 10

net = nn.Sequential(
    d2l.FlattenLayer(),
    nn.Linear(num_inputs, num_outputs)
)
init.normal_(net[1].weight, mean=0, std=0.01)
init.constant_(net[1].bias, val=0)

loss = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)

num_epochs = 5
d2l.train_ch3(net, train_iter, test_iter, loss, num_epochs, batch_size, None, None, optimizer)

X, y = iter(test_iter).next()
true_labels = d2l.get_fashion_mnist_labels(y.numpy())
pred_labels = d2l.get_fashion_mnist_labels(net(X).argmax(dim=1).numpy())
titles = [true + '\n' + pred for true, pred in zip(true_labels, pred_labels)]
d2l.show_fashion_mnist(X[0:9], titles[0:9])
