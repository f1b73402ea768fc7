# title: nn.Module 的属性：_parameters、_modules、parameters()、modules()、named_children()
# expect: match

import torch
import torch.nn as nn
import torch.nn.functional as F
from collections import OrderedDict


class LeNet(nn.Module):
    def __init__(self, classes):
        super(LeNet, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x):
        out = F.relu(self.conv1(x))
        out = F.max_pool2d(out, 2)
        out = F.relu(self.conv2(out))
        out = F.max_pool2d(out, 2)
        out = out.view(out.size(0), -1)
        out = F.relu(self.fc1(out))
        out = F.relu(self.fc2(out))
        out = self.fc3(out)
        return out


net = LeNet(classes=2)
fake_img = torch.randn((4, 3, 32, 32), dtype=torch.float32)
output = net(fake_img)
print(output.shape)

# 8个有序字典中比较常用的两个：_modules 和 _parameters
print(list(net._modules.keys()))
print(list(net._parameters.keys()))  # 顶层模块自己没有参数
print(list(net.conv1._parameters.keys()))

# parameters() 会递归地返回所有参数
total = 0
for name, p in net.named_parameters():
    print("{:<15} {}".format(name, tuple(p.shape)))
    total += p.numel()
print("参数总量:", total)

# modules() 包含自己，children() 只包含直接子模块
print(len(list(net.modules())), len(list(net.children())))
for name, m in net.named_children():
    print(name, type(m).__name__)

# ============================ 模型容器 ============================
# Sequential 使用 OrderedDict 给每一层起名字
block = nn.Sequential(OrderedDict({
    'conv': nn.Conv2d(3, 4, 3, padding=1),
    'bn': nn.BatchNorm2d(4),
    'relu': nn.ReLU(inplace=True),
}))
print(block)
print(block.conv, block[1])
print(block(fake_img).shape)

# ModuleList 适合重复构建多个相同的层
layers = nn.ModuleList([nn.Linear(10, 10) for i in range(5)])
x = torch.ones(2, 10)
for i, linear in enumerate(layers):
    x = linear(x)
print(x.shape, len(layers))

# ModuleDict 适合按名字选择网络层
choices = nn.ModuleDict({'conv': nn.Conv2d(3, 6, 3), 'pool': nn.MaxPool2d(3)})
activations = nn.ModuleDict([['relu', nn.ReLU()], ['prelu', nn.PReLU()]])
out = activations['prelu'](choices['conv'](fake_img))
print(out.shape)

# train / eval 模式会递归地设置 training 标志
net.eval()
print(net.training, net.fc1.training)
net.train()
print(net.training, net.fc1.training)
