# title: 笔记开头常见的 warnings.filterwarnings("ignore")
# expect: match
import warnings
warnings.filterwarnings("ignore")
import torch
x = torch.linspace(0, 1, 5, requires_grad=True)
y = (x ** 2).sum()
y.backward()
print(x.grad)
