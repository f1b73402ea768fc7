# title: 7.2 梯度下降和随机梯度下降：一维与二维的迭代轨迹
# expect: match

import numpy as np
import torch
import math
import matplotlib.pyplot as plt


def gd(eta):
    x = 8
    results = [x]
    for i in range(10):
        x -= eta * 2 * x  # 目标函数 x^2，导数是 2x
        results.append(x)
    print('epoch 10, x:', x)
    return results


res = gd(0.2)


def show_trace(res):
    n = max(abs(min(res)), abs(max(res)), 10)
    f_line = np.arange(-n, n, 0.1)
    plt.rcParams['figure.figsize'] = (3.5, 2.5)
    plt.plot(f_line, [x * x for x in f_line])
    plt.plot(res, [x * x for x in res], '-o')
    plt.xlabel('x')
    plt.ylabel('f(x)')


show_trace(res)
# 学习率过小
show_trace(gd(0.05))
# 学习率过大
show_trace(gd(1.1))
plt.close('all')


def train_2d(trainer):
    x1, x2, s1, s2 = -5, -2, 0, 0  # s1, s2 给后面几种算法存状态用，这里用不到
    results = [(x1, x2)]
    for i in range(20):
        x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        results.append((x1, x2))
    print('epoch %d, x1 %f, x2 %f' % (i + 1, x1, x2))
    return results


def show_trace_2d(f, results):
    plt.plot(*zip(*results), '-o', color='#ff7f0e')
    x1, x2 = np.meshgrid(np.arange(-5.5, 1.0, 0.1), np.arange(-3.0, 1.0, 0.1))
    plt.contour(x1, x2, f(x1, x2), colors='#1f77b4')
    plt.xlabel('x1')
    plt.ylabel('x2')


eta = 0.1


def f_2d(x1, x2):  # 目标函数
    return x1 ** 2 + 2 * x2 ** 2


def gd_2d(x1, x2, s1, s2):
    return (x1 - eta * 2 * x1, x2 - eta * 4 * x2, 0, 0)


show_trace_2d(f_2d, train_2d(gd_2d))


# 模拟随机梯度：在真实梯度上加一点噪声
def sgd_2d(x1, x2, s1, s2):
    return (x1 - eta * (2 * x1 + np.random.normal(0.1)),
            x2 - eta * (4 * x2 + np.random.normal(0.1)), 0, 0)


show_trace_2d(f_2d, train_2d(sgd_2d))
plt.close('all')

# 用autograd算一下f_2d在起点(-5, -2)处的梯度
x = torch.tensor([-5.0, -2.0], requires_grad=True)
y = f_2d(x[0], x[1])
y.backward()
print(x.grad, math.sqrt((x.grad ** 2).sum().item()))
