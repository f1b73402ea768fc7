# title: 数值稳定性：梯度消失与梯度爆炸
# expect: match

import torch

# sigmoid在输入很大或很小时梯度接近0
x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True)
y = torch.sigmoid(x)
y.backward(torch.ones_like(x))
print('x=-8处的梯度:', x.grad[0].item())
print('x=0附近的最大梯度:', x.grad.max().item())
print('梯度小于1e-3的比例:', round((x.grad < 1e-3).float().mean().item(), 3))

# 多个随机矩阵连乘导致梯度爆炸
M = torch.normal(0, 1, size=(4, 4))
print('初始的随机矩阵:\n', M)
for i in range(60):
    M = torch.mm(M, torch.normal(0, 1, size=(4, 4)))
print('乘以60个矩阵后的最大绝对值的数量级:', int(torch.log10(M.abs().max()).item()))

# 深层网络中逐层的激活值：不同的初始化标准差
def activation_scale(std, depth=20, width=64):
    h = torch.randn(32, width)
    for _ in range(depth):
        W = torch.normal(0, std, size=(width, width))
        h = torch.tanh(h @ W)
    return h.std().item()

for std in [0.01, 1 / 8, 1.0]:
    print(f'std={std:.3f} 时，20层后激活值的标准差 {activation_scale(std):.4f}')

# 对称性：同一层所有权重相同时，隐藏单元得到相同的梯度
W1 = torch.full((3, 4), 0.5, requires_grad=True)
W2 = torch.full((4, 1), 0.5, requires_grad=True)
X = torch.randn(5, 3)
out = torch.relu(X @ W1) @ W2
out.sum().backward()
print('各隐藏单元梯度相同:', bool(torch.allclose(W1.grad, W1.grad[:, :1].expand(3, 4))))
