# title: 中文变量名：用中文写的线性回归
# expect: match
import torch

torch.manual_seed(1)
特征 = torch.randn(50, 2)
真实权重 = torch.tensor([2.0, -3.4])
标签 = 特征 @ 真实权重 + 4.2
权重 = torch.zeros(2, requires_grad=True)
偏置 = torch.zeros(1, requires_grad=True)
学习率 = 0.1
for 轮次 in range(20):
    预测 = 特征 @ 权重 + 偏置
    损失 = ((预测 - 标签) ** 2).mean()
    损失.backward()
    with torch.no_grad():
        权重 -= 学习率 * 权重.grad
        偏置 -= 学习率 * 偏置.grad
        权重.grad.zero_()
        偏置.grad.zero_()
print(f"权重: {权重.data}, 偏置: {偏置.item():.3f}, 损失: {损失.item():.4f}")
