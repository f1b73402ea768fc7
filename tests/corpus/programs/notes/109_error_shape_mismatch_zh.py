# title: 常见报错：矩阵乘法形状不匹配（打印中文提示）
# expect: match
import torch

X = torch.randn(4, 3)
W = torch.randn(4, 2, requires_grad=True)
print(f"X 的形状: {X.shape}, W 的形状: {W.shape}")
y = X @ W
print(y)
