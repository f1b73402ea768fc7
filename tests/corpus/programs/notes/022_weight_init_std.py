# title: 权值初始化（一）：梯度消失与爆炸，逐层观察输出的标准差
# expect: match

import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(1)


class MLP(nn.Module):
    def __init__(self, neural_num, layers, act=None):
        super(MLP, self).__init__()
        self.linears = nn.ModuleList([nn.Linear(neural_num, neural_num, bias=False) for i in range(layers)])
        self.neural_num = neural_num
        self.act = act

    def forward(self, x):
        for (i, linear) in enumerate(self.linears):
            x = linear(x)
            if self.act is not None:
                x = self.act(x)

            if i % 10 == 0 or i == len(self.linears) - 1:
                print("第{}层 输出std: {}".format(i, x.std()))
            if torch.isnan(x.std()):
                print("第{}层的输出已经变成nan了".format(i))
                break

        return x

    def initialize(self, mode):
        for m in self.modules():
            if isinstance(m, nn.Linear):
                if mode == 'normal':
                    nn.init.normal_(m.weight.data)  # 标准正态：每过一层std大约乘以sqrt(n)
                elif mode == 'sqrt_n':
                    nn.init.normal_(m.weight.data, std=np.sqrt(1 / self.neural_num))  # 让每层输出的方差保持在1附近
                elif mode == 'xavier':
                    # 手动计算 xavier 均匀分布的上下限
                    a = np.sqrt(6 / (self.neural_num + self.neural_num))
                    tanh_gain = nn.init.calculate_gain('tanh')
                    a *= tanh_gain
                    nn.init.uniform_(m.weight.data, -a, a)
                elif mode == 'xavier_torch':
                    tanh_gain = nn.init.calculate_gain('tanh')
                    nn.init.xavier_uniform_(m.weight.data, gain=tanh_gain)
                elif mode == 'kaiming':
                    nn.init.kaiming_normal_(m.weight.data)


layer_nums = 60
neural_nums = 128
batch_size = 16
inputs = torch.randn((batch_size, neural_nums))  # 输入本身std约为1

print("========== 1. 标准正态初始化，无激活函数 ==========")
net = MLP(neural_nums, layer_nums)
net.initialize('normal')
output = net(inputs)

print("========== 2. std = sqrt(1/n)，无激活函数 ==========")
net.initialize('sqrt_n')
output = net(inputs)

print("========== 3. std = sqrt(1/n)，tanh激活：逐渐消失 ==========")
net = MLP(neural_nums, layer_nums, act=torch.tanh)
net.initialize('sqrt_n')
output = net(inputs)

print("========== 4. Xavier初始化，tanh激活 ==========")
net.initialize('xavier')
output = net(inputs)
net.initialize('xavier_torch')
output = net(inputs)

print("========== 5. ReLU激活：xavier不合适，用kaiming ==========")
net = MLP(neural_nums, layer_nums, act=torch.relu)
net.initialize('xavier_torch')
output = net(inputs)
net.initialize('kaiming')
output = net(inputs)
