# title: 3.3 线性回归的简洁实现
# expect: match

import torch
from torch import nn
import numpy as np

num_inputs = 3
num_examples = 600
true_w = [1.5, -2.0, 0.8]
true_b = 3.1
features = torch.tensor(np.random.normal(0, 1, (num_examples, num_inputs)), dtype=torch.float)
labels = true_w[0] * features[:, 0] + true_w[1] * features[:, 1] + true_w[2] * features[:, 2] + true_b
labels += torch.tensor(np.random.normal(0, 0.01, size=labels.size()), dtype=torch.float)

# 读取数据
import torch.utils.data as Data

batch_size = 20

# 特征和标签打包成一个数据集
dataset = Data.TensorDataset(features, labels)

# 再交给 DataLoader 负责分批
data_iter = Data.DataLoader(
    dataset=dataset,        # 上面打包好的数据集
    batch_size=batch_size,  # 每批多少个样本
    shuffle=True,           # 每个epoch打乱顺序
    num_workers=0,          # 多线程来读数据，这里用主进程
)

for X, y in data_iter:
    print(X, '\n', y)
    break


# 定义模型
class LinearNet(nn.Module):
    def __init__(self, n_feature):
        super(LinearNet, self).__init__()
        self.linear = nn.Linear(n_feature, 1)

    # forward 定义前向传播
    def forward(self, x):
        y = self.linear(x)
        return y


net = LinearNet(num_inputs)
print(net)  # 直接print就能看到网络由哪些层组成

# 写法一
net = nn.Sequential(
    nn.Linear(num_inputs, 1)
    # 后面可以继续写别的层
)

# 写法二
net = nn.Sequential()
net.add_module('linear', nn.Linear(num_inputs, 1))
# 需要的话继续 add_module

# 写法三
from collections import OrderedDict
net = nn.Sequential(OrderedDict([
    ('linear', nn.Linear(num_inputs, 1))
    # 其他层照此添加
]))

print(net)
print(net[0])

for param in net.parameters():
    print(param)

# 参数初始化
from torch.nn import init

init.normal_(net[0].weight, mean=0, std=0.01)
init.constant_(net[0].bias, val=0)  # 等价写法：net[0].bias.data.fill_(0)

# 损失函数
loss = nn.MSELoss()

# 优化算法
import torch.optim as optim

optimizer = optim.SGD(net.parameters(), lr=0.03)
print(optimizer)

# 调整学习率
for param_group in optimizer.param_groups:
    param_group['lr'] *= 0.5  # 学习率为之前的0.5倍
print(optimizer.param_groups[0]['lr'])

# 训练模型
num_epochs = 4
for epoch in range(1, num_epochs + 1):
    for X, y in data_iter:
        output = net(X)
        l = loss(output, y.view(-1, 1))
        optimizer.zero_grad()  # 清空上一步留下的梯度（net.zero_grad() 也行）
        l.backward()
        optimizer.step()
    print('epoch %d, loss: %f' % (epoch, l.item()))

dense = net[0]
print(true_w, dense.weight.data)
print(true_b, dense.bias.data)
