# title: 3.8 多层感知机：ReLU、sigmoid、tanh 激活函数及其导数
# expect: match

import torch
import numpy as np
import matplotlib.pyplot as plt


def set_figsize(figsize=(3.5, 2.5)):
    plt.rcParams['figure.figsize'] = figsize


def xyplot(x_vals, y_vals, name):
    set_figsize(figsize=(5, 2.5))
    plt.plot(x_vals.detach().numpy(), y_vals.detach().numpy())
    plt.xlabel('x')
    plt.ylabel(name + '(x)')


x = torch.arange(-6.0, 6.0, 0.5, requires_grad=True)

# ReLU：max(x, 0)
y = x.relu()
xyplot(x, y, 'relu')
print('relu:', y)

# ReLU 的导数：负半轴是0，正半轴是1
y.sum().backward()
xyplot(x, x.grad, 'grad of relu')
print('grad of relu:', x.grad)

# sigmoid：把输入压到(0, 1)
y = x.sigmoid()
xyplot(x, y, 'sigmoid')
print('sigmoid(0) =', y[12].item())

# sigmoid 的导数在 x=0 处最大，是0.25
x.grad.zero_()
y.sum().backward()
xyplot(x, x.grad, 'grad of sigmoid')
print('grad of sigmoid:', x.grad)
print('最大导数: %.4f' % x.grad.max().item())

# tanh：把输入压到(-1, 1)
y = x.tanh()
xyplot(x, y, 'tanh')

# tanh 的导数在 x=0 处最大，是1
x.grad.zero_()
y.sum().backward()
xyplot(x, x.grad, 'grad of tanh')
print('grad of tanh:', x.grad)

# 检查：tanh'(x) = 1 - tanh(x)^2
print(torch.allclose(x.grad, 1 - y.detach() ** 2, atol=1e-6))
print(np.round(x.grad.numpy()[10:14], 4))
plt.close('all')
