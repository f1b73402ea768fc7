# title: 常见错误：对需要梯度的叶子张量做原地操作
# expect: match
import torch

w = torch.ones(3, requires_grad=True)
print("w 是叶子节点:", w.is_leaf)
w += 1
print(w)
