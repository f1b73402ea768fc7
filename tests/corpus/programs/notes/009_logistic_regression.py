# title: 逻辑回归：两类二维高斯数据的二分类（五步法）
# expect: match

import torch
import torch.nn as nn
import matplotlib.pyplot as plt
import numpy as np
torch.manual_seed(10)

# ============================ 第1步 造两团数据 ============================
sample_nums = 80
mean_value = 1.5
bias = 0.5
n_data = torch.ones(sample_nums, 2)
x0 = torch.normal(mean_value * n_data, 1) + bias   # 类别0，中心在(2, 2)附近
y0 = torch.zeros(sample_nums)                      # 标签全0
x1 = torch.normal(-mean_value * n_data, 1) + bias  # 类别1，中心在(-1, -1)附近
y1 = torch.ones(sample_nums)                       # 标签全1
train_x = torch.cat((x0, x1), 0)
train_y = torch.cat((y0, y1), 0)


# ============================ 第2步 模型 ============================
class LR(nn.Module):
    def __init__(self):
        super(LR, self).__init__()
        self.features = nn.Linear(2, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        x = self.features(x)
        x = self.sigmoid(x)
        return x


lr_net = LR()

# ============================ 第3步 损失函数 ============================
loss_fn = nn.BCELoss()

# ============================ 第4步 优化器 ============================
lr = 0.01
optimizer = torch.optim.SGD(lr_net.parameters(), lr=lr, momentum=0.9)

# ============================ 第5步 训练 ============================
for iteration in range(1000):

    # 前向
    y_pred = lr_net(train_x)

    # BCE损失，预测是(N,1)，先squeeze成(N,)
    loss = loss_fn(y_pred.squeeze(), train_y)

    # 求梯度
    loss.backward()

    # 走一步
    optimizer.step()

    # 梯度清零，留给下一次
    optimizer.zero_grad()

    if iteration % 20 == 0:
        mask = y_pred.ge(0.5).float().squeeze()  # 概率>=0.5判为类别1
        correct = (mask == train_y).sum()  # 预测对了多少个
        acc = correct.item() / train_y.size(0)

        w0, w1 = lr_net.features.weight[0]
        w0, w1 = float(w0.item()), float(w1.item())
        plot_b = float(lr_net.features.bias[0].item())
        print("迭代{:>3d}: w0={:.2f} w1={:.2f} b={:.2f} 准确率 {:.2%} loss {:.4f}".format(
            iteration, w0, w1, plot_b, acc, loss.item()))

        if acc > 0.99:
            break

# 画出数据点和决策边界 w0*x + w1*y + b = 0
plt.scatter(x0.data.numpy()[:, 0], x0.data.numpy()[:, 1], c='r', label='class 0')
plt.scatter(x1.data.numpy()[:, 0], x1.data.numpy()[:, 1], c='b', label='class 1')
plot_x = np.arange(-6, 6, 0.1)
plot_y = (-w0 * plot_x - plot_b) / w1
plt.xlim(-5, 7)
plt.ylim(-7, 7)
plt.plot(plot_x, plot_y)
plt.title('loss=%.4f' % loss.item())
plt.legend()
plt.close()
