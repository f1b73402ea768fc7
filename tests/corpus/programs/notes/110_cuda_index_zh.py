# title: 笔记：用 .cuda(0) 指定第一块显卡
# expect: refused (gpu)
import torch
a = torch.randn(2, 2)
b = a.cuda(0)
print(b)
