# title: torch.autograd.grad 求高阶导数（create_graph=True）
# expect: match

import torch

# ====================================== 一阶、二阶导数 ==============================================
x = torch.tensor([3.], requires_grad=True)
y = torch.pow(x, 2)

grad_1 = torch.autograd.grad(y, x, create_graph=True)  # 一阶导 2x，x=3 时是 6
print(grad_1)

grad_2 = torch.autograd.grad(grad_1[0], x)  # 对一阶导再求导，得到常数 2
print(grad_2)

# 注意：autograd.grad 返回的是元组，而且不会把梯度累加到 x.grad 上
print(type(grad_1).__name__, x.grad)

# ====================================== 三阶导数 ==============================================
# f(x) = x^4 - 3x^2 + x，在 x = 1.5 处
x = torch.tensor(1.5, requires_grad=True)
f = x ** 4 - 3 * x ** 2 + x
d1, = torch.autograd.grad(f, x, create_graph=True)   # 4x^3 - 6x + 1
d2, = torch.autograd.grad(d1, x, create_graph=True)  # 12x^2 - 6
d3, = torch.autograd.grad(d2, x)                     # 24x
print("f'={:.4f}, f''={:.4f}, f'''={:.4f}".format(d1.item(), d2.item(), d3.item()))
print("手算: f'={:.4f}, f''={:.4f}, f'''={:.4f}".format(4 * 1.5 ** 3 - 6 * 1.5 + 1, 12 * 1.5 ** 2 - 6, 24 * 1.5))

# ====================================== 多个输入 ==============================================
# z = x^2 * y + y^3
x = torch.tensor(2.0, requires_grad=True)
y = torch.tensor(-1.0, requires_grad=True)
z = x ** 2 * y + y ** 3
dz_dx, dz_dy = torch.autograd.grad(z, [x, y], create_graph=True)
print(f"dz/dx = {dz_dx.item()}, dz/dy = {dz_dy.item()}")  # 2xy = -4, x^2 + 3y^2 = 7

# 混合偏导 d2z/dxdy = 2x = 4
d2z_dxdy, = torch.autograd.grad(dz_dx, y)
print("d2z/dxdy =", d2z_dxdy.item())

# ====================================== 用二阶导数做牛顿法 ==============================================
# 求 g(x) = x^2 - 2 的零点的平方根问题，这里换成求 h(x) = (x^2 - 2)^2 的极小值
x = torch.tensor(3.0, requires_grad=True)
for i in range(6):
    h = (x ** 2 - 2) ** 2
    g, = torch.autograd.grad(h, x, create_graph=True)
    H, = torch.autograd.grad(g, x)
    with torch.no_grad():
        x -= g / H
    print("iter {}: x = {:.6f}".format(i + 1, x.item()))
print("sqrt(2) = {:.6f}".format(2 ** 0.5))
