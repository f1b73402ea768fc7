# title: 暂退法（Dropout）的从零开始实现
# expect: match

import torch
from torch import nn
from torch.utils import data

def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1
    # 丢弃概率为1：输出全为0
    if dropout == 1:
        return torch.zeros_like(X)
    # 丢弃概率为0：原样返回
    if dropout == 0:
        return X
    mask = (torch.rand(X.shape) > dropout).float()
    return mask * X / (1.0 - dropout)

X = torch.arange(12, dtype=torch.float32).reshape((2, 6))
print(X)
print(dropout_layer(X, 0.))
print(dropout_layer(X, 0.5))
print(dropout_layer(X, 1.))

num_inputs, num_outputs, num_hiddens1, num_hiddens2 = 784, 10, 128, 64
dropout1, dropout2 = 0.2, 0.5

class Net(nn.Module):
    def __init__(self, num_inputs, num_outputs, num_hiddens1, num_hiddens2,
                 is_training=True):
        super(Net, self).__init__()
        self.num_inputs = num_inputs
        self.training = is_training
        self.lin1 = nn.Linear(num_inputs, num_hiddens1)
        self.lin2 = nn.Linear(num_hiddens1, num_hiddens2)
        self.lin3 = nn.Linear(num_hiddens2, num_outputs)
        self.relu = nn.ReLU()

    def forward(self, X):
        H1 = self.relu(self.lin1(X.reshape((-1, self.num_inputs))))
        # 评估时self.training为False，下面两处都会跳过
        if self.training == True:
            # 隐藏层1的输出按dropout1随机置零
            H1 = dropout_layer(H1, dropout1)
        H2 = self.relu(self.lin2(H1))
        if self.training == True:
            # 隐藏层2的输出按dropout2随机置零
            H2 = dropout_layer(H2, dropout2)
        out = self.lin3(H2)
        return out

net = Net(num_inputs, num_outputs, num_hiddens1, num_hiddens2)

# 合成的图像数据
mean_image = torch.rand(1, 1, 28, 28)
offsets = 0.4 * torch.randn(10, 1, 28, 28)
def make(n):
    y = torch.randint(0, 10, (n,))
    return (mean_image + offsets[y] + 0.5 * torch.randn(n, 1, 28, 28)).clamp(0, 1), y

train_iter = data.DataLoader(data.TensorDataset(*make(768)), 128, shuffle=True)
test_X, test_y = make(256)

num_epochs, lr = 5, 0.3
loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=lr)
for epoch in range(num_epochs):
    net.train()
    for X, y in train_iter:
        l = loss(net(X), y)
        trainer.zero_grad()
        l.mean().backward()
        trainer.step()
    net.eval()
    with torch.no_grad():
        acc = (net(test_X).argmax(dim=1) == test_y).float().mean()
    print(f'epoch {epoch + 1}, 测试精度 {acc:.3f}')

# 评估模式下输出是确定的
net.eval()
print('评估模式下两次输出相同:', bool(torch.equal(net(test_X[:4]), net(test_X[:4]))))
