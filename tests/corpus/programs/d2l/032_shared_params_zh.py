# title: 参数绑定：在多个层之间共享参数
# expect: match

import torch
from torch import nn

X = torch.rand(size=(2, 3))

# 先单独创建这一层，再把同一个对象放进网络两次
shared = nn.Linear(6, 6)
net = nn.Sequential(nn.Linear(3, 6), nn.ReLU(),
                    shared, nn.ReLU(),
                    shared, nn.ReLU(),
                    nn.Linear(6, 1))
print(net(X).shape)
# 第2层和第4层的权重逐元素比较
print(net[2].weight.data[0] == net[4].weight.data[0])
net[2].weight.data[0, 0] = 55
# 改动一处，另一处跟着变：说明是同一块内存
print(net[2].weight.data[0] == net[4].weight.data[0])
print('同一个对象:', net[2].weight is net[4].weight)

# 共享参数只被计数一次
print('参数张量个数:', len(list(net.parameters())))
print('state_dict中的键:', list(net.state_dict().keys()))

# 反向传播时，两处的梯度会累加到同一个参数上
net.zero_grad()
net(X).sum().backward()
g_shared = net[2].weight.grad.clone()

# 用两个独立但数值相同的层做对比
layer_a, layer_b = nn.Linear(6, 6), nn.Linear(6, 6)
layer_a.load_state_dict(shared.state_dict())
layer_b.load_state_dict(shared.state_dict())
net2 = nn.Sequential(net[0], nn.ReLU(), layer_a, nn.ReLU(), layer_b, nn.ReLU(), net[6])
net2.zero_grad()
net2(X).sum().backward()
g_sum = layer_a.weight.grad + layer_b.weight.grad
print('共享层的梯度等于两层梯度之和:', bool(torch.allclose(g_shared, g_sum)))
