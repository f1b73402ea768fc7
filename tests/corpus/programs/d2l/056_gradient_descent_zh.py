# title: 梯度下降：一维、多维与牛顿法（使用torch张量）
# expect: match

import math
import torch

def f(x):  # 最简单的凸函数 x^2
    return x ** 2

def f_grad(x):  # 它的导数 2x
    return 2 * x

def gd(eta, f_grad):
    x = 10.0
    results = [x]
    for i in range(10):
        x -= eta * f_grad(x)
        results.append(float(x))
    print(f'10步之后 x = {x:f}')
    return results

results = gd(0.2, f_grad)
# 学习率太小：进展缓慢
results = gd(0.05, f_grad)
# 学习率太大：发散
results = gd(1.1, f_grad)

# 局部最小值：f(x) = x * cos(cx)
c = torch.tensor(0.15 * math.pi)

def f(x):  # 非凸函数，有多个局部极小值
    return x * torch.cos(c * x)

def f_grad(x):  # 乘积法则求导
    return torch.cos(c * x) - c * x * torch.sin(c * x)

results = gd(2, f_grad)
print('最终的函数值:', round(float(f(torch.tensor(results[-1]))), 4))

# 二维的情形
def train_2d(trainer, steps=20, f_grad=None):
    """从(-5, -2)出发，反复调用trainer更新两个坐标"""
    # s1、s2留给动量、AdaGrad等需要状态的方法
    x1, x2, s1, s2 = -5, -2, 0, 0
    results = [(x1, x2)]
    for i in range(steps):
        if f_grad:
            x1, x2, s1, s2 = trainer(x1, x2, s1, s2, f_grad)
        else:
            x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        results.append((x1, x2))
    print(f'第{i + 1}步: x1 = {float(x1):f}, x2 = {float(x2):f}')
    return results

def f_2d(x1, x2):  # 椭圆形等高线的二次函数
    return x1 ** 2 + 2 * x2 ** 2

def f_2d_grad(x1, x2):  # 两个偏导数
    return (2 * x1, 4 * x2)

def gd_2d(x1, x2, s1, s2, f_grad):
    g1, g2 = f_grad(x1, x2)
    return (x1 - eta * g1, x2 - eta * g2, 0, 0)

eta = 0.1
trace = train_2d(gd_2d, f_grad=f_2d_grad)
print('轨迹长度:', len(trace))

# 用二阶导数（Hessian）缩放步长
c = torch.tensor(0.5)

def f(x):  # 双曲余弦，最小值在0处
    return torch.cosh(c * x)

def f_grad(x):  # 一阶导数
    return c * torch.sinh(c * x)

def f_hess(x):  # 二阶导数
    return c ** 2 * torch.cosh(c * x)

def newton(eta=1):
    x = torch.tensor(10.0)
    results = [float(x)]
    for i in range(10):
        x -= eta * f_grad(x) / f_hess(x)
        results.append(float(x))
    print('牛顿法10步之后 x =', x)
    return results

results = newton()
results = newton(0.5)
