# title: 指数加权平均与动量：手动实现 vs optim.SGD(momentum=0.9)
# expect: match

import torch
import torch.optim as optim
import numpy as np

torch.manual_seed(1)


# ----------------------------------- 指数加权平均 -----------------------------------
def ema_weights(beta, days):
    # 指数加权平均里，i天前的值的权重是 (1 - beta) * beta^i
    return [(1 - beta) * np.power(beta, i) for i in days]


beta = 0.9
num_point = 10
time_list = np.arange(num_point).tolist()
weights = ema_weights(beta, time_list)
print("beta={} 时各时刻的权重:".format(beta), ["%.4f" % w for w in weights])
print("权重之和: {:.4f}".format(sum(weights)))

for beta in [0.98, 0.95, 0.9, 0.8]:
    w = ema_weights(beta, list(range(100)))
    print("beta={}, 第0天权重 {:.4f}, 第20天权重 {:.6f}".format(beta, w[0], w[20]))


# ----------------------------------- 用 SGD 优化 y = 3(x-1)^2 -----------------------------------
def func(x):
    return 3 * torch.pow(x - 1, 2)  # 3(x-1)^2，导数 6(x-1)，最小值在 x=1


iteration = 30
x0 = 4.

# 官方的动量 SGD
x = torch.tensor([x0], requires_grad=True)
optimizer = optim.SGD([x], lr=0.01, momentum=0.9)
official = []
for i in range(iteration):
    y = func(x)
    optimizer.zero_grad()
    y.backward()
    optimizer.step()
    official.append(x.item())

# 手动实现：v = m * v + g;  x = x - lr * v
x = torch.tensor([x0], requires_grad=True)
v = torch.zeros(1)
lr, m = 0.01, 0.9
manual = []
for i in range(iteration):
    y = func(x)
    if x.grad is not None:
        x.grad.zero_()
    y.backward()
    with torch.no_grad():
        v = m * v + x.grad
        x -= lr * v
    manual.append(x.item())

for i in range(0, iteration, 5):
    print("iter {:>2d}: optim {:.6f}   manual {:.6f}".format(i, official[i], manual[i]))
print("几乎一致:", np.allclose(official, manual, atol=1e-5))

# 不同的 momentum 对比
for momentum in [0.0, 0.5, 0.9]:
    x = torch.tensor([x0], requires_grad=True)
    optimizer = optim.SGD([x], lr=0.01, momentum=momentum)
    for i in range(iteration):
        y = func(x)
        optimizer.zero_grad()
        y.backward()
        optimizer.step()
    print("momentum={}: 最后 x={:.5f}, loss={:.6f}".format(momentum, x.item(), func(x).item()))
