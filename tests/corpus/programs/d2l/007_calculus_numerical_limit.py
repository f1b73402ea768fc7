# title: 微积分：数值极限与切线
# expect: match

import numpy as np
import matplotlib.pyplot as plt

def f(x):
    return 2 * x ** 3 - 5 * x

def numerical_lim(f, x, h):
    return (f(x + h) - f(x)) / h

# 当h趋近于0时，差商逼近导数 f'(1) = 6 - 5 = 1
h = 0.1
for i in range(6):
    print(f'h={h:.6f}, 数值极限={numerical_lim(f, 1, h):.6f}')
    h *= 0.1

def set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend):
    """一次性配置坐标轴的标签、范围、刻度类型和图例"""
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    axes.set_xlim(xlim)
    axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()

def plot(X, Y, xlabel=None, ylabel=None, legend=None, xlim=None,
         ylim=None, xscale='linear', yscale='linear',
         fmts=('-', 'm--', 'g-.', 'r:'), figsize=(3.5, 2.5)):
    """在同一张图上画出若干条曲线"""
    if legend is None:
        legend = []
    plt.rcParams['figure.figsize'] = figsize
    axes = plt.gca()
    axes.cla()
    for y, fmt in zip(Y, fmts):
        axes.plot(X, y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)

x = np.arange(0, 2.5, 0.1)
# 在x=1处的切线：y = f(1) + f'(1)(x - 1) = x - 4
plot(x, [f(x), x - 4], 'x', 'f(x)', legend=['f(x)', '切线 (x=1)'])
print('绘制的曲线数:', len(plt.gca().get_lines()))
