# title: 张量的数学运算 与 用张量手写一元线性回归
# expect: match

import torch
torch.manual_seed(10)

# ============================ 数学运算 ============================
t_0 = torch.randn((3, 3))
t_1 = torch.ones_like(t_0)
# torch.add(input, other, alpha)：input + alpha * other
t_add = torch.add(t_0, t_1, alpha=10)
print("t_0 + 10 * t_1 =\n{}".format(t_add))

# addcmul：input + value * tensor1 * tensor2
# addcdiv：input + value * tensor1 / tensor2
t_2 = torch.full((3, 3), 2.0)
print(torch.addcmul(t_0, t_1, t_2, value=0.5))
print(torch.addcdiv(t_0, t_1, t_2, value=3))

# 对数、指数、幂函数、三角函数
x = torch.tensor([1.0, 2.0, 4.0])
print(torch.log(x), torch.log2(x), torch.exp(x))
print(torch.pow(x, 2), torch.sqrt(x), torch.abs(-x))
print(torch.sin(x), torch.cos(x))

# ============================ 一元线性回归 ============================
# 目标：求解 y = w * x + b，这里数据真实的 w=3, b=2
lr = 0.05

# 造训练数据
x = torch.rand(30, 1) * 10  # 30个x，范围[0, 10)
y = 3 * x + (2 + torch.randn(30, 1))  # y = 3x + 2 再加一点噪声

# 待学习的参数 w、b
w = torch.randn((1), requires_grad=True)
b = torch.zeros((1), requires_grad=True)

for iteration in range(500):

    # 预测值 w*x + b
    wx = torch.mul(w, x)
    y_pred = torch.add(wx, b)

    # 均方误差（带1/2）
    loss = (0.5 * (y - y_pred) ** 2).mean()

    # 求导
    loss.backward()

    # 手动梯度下降，sub_ 是原位减
    b.data.sub_(lr * b.grad)
    w.data.sub_(lr * w.grad)

    # 梯度用完清零
    w.grad.zero_()
    b.grad.zero_()

    if iteration % 50 == 0:
        print("Iteration: {} Loss={:.4f} w={:.4f} b={:.4f}".format(iteration, loss.item(), w.item(), b.item()))

    if loss.data.numpy() < 0.5:
        print("第{}次迭代loss小于0.5，停止训练".format(iteration))
        break

print(f"最终结果：w = {w.item():.3f}, b = {b.item():.3f}")
