# title: 常见报错：广播失败（两个张量形状对不上）
# expect: match
import torch

a = torch.ones(2, 3, requires_grad=True)
b = torch.arange(4.)
print("a + b 会报错吗？")
c = a + b
