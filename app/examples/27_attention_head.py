# title: One attention head by hand
# title_zh: 手写一个注意力头
# description: Three Linear layers turn each token into a query, a key and a value. The scores q @ k.T are divided by the square root of the key size, SoftmaxBackward0 turns each row into weights that add up to 1, and each output row is those weights applied to the values.
# description_zh: 三个 Linear 层把每个词元变成查询、键和值。得分 q @ k.T 除以键维度的平方根，SoftmaxBackward0 把每一行变成和为 1 的权重，每一行输出就是用这些权重对值加权求和。

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
tokens = torch.randn(3, 4)  # 3 tokens, 4 features each
query = nn.Linear(4, 2, bias=False)
key = nn.Linear(4, 2, bias=False)
value = nn.Linear(4, 2, bias=False)

q, k, v = query(tokens), key(tokens), value(tokens)
scores = q @ k.T / 2**0.5  # key size 2
weights = F.softmax(scores, dim=-1)
out = weights @ v
loss = out.sum()
loss.backward()
print("each row of weights adds up to:", weights.sum(dim=-1))
print("query.weight.grad:")
print(query.weight.grad)
