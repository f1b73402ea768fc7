# title: Summing with keepdim=True
# title_zh: 保持维度的求和 keepdim=True
# description: keepdim=True keeps row_sums as shape (2, 1) so it broadcasts against x; gradients reach x through both the division and the sum.
# description_zh: keepdim=True 让 row_sums 保持 (2, 1) 的形状，可以与 x 广播；梯度经过除法和求和两条路径回到 x。

import torch

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
row_sums = x.sum(dim=1, keepdim=True)
share = x / row_sums
loss = share[:, 0].sum()
loss.backward()
print(row_sums.shape, x.sum(dim=1).shape)
print(share)
print(x.grad)
