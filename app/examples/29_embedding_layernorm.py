# title: Embedding and LayerNorm
# title_zh: 词嵌入与 LayerNorm
# description: nn.Embedding picks one row of its weight for each token id, and nn.LayerNorm rescales every vector to mean 0 and variance 1. In backward, EmbeddingBackward0 sends gradient only to the rows of tokens in the sentence: token 3 appears twice and its row gets the sum of both, rows of unused tokens stay zero.
# description_zh: nn.Embedding 为每个词元编号取出权重中的一行，nn.LayerNorm 把每个向量调整为均值 0、方差 1。反向传播时，EmbeddingBackward0 只把梯度送到句子中出现的词元所在的行：词元 3 出现了两次，它的行得到两次梯度之和，没有用到的词元的行保持为零。

import torch
import torch.nn as nn

torch.manual_seed(0)
embed = nn.Embedding(num_embeddings=6, embedding_dim=4)
norm = nn.LayerNorm(4)
sentence = torch.tensor([1, 3, 3, 0])  # token ids
vectors = norm(embed(sentence))
loss = vectors[:, 0].sum()
loss.backward()
print("variance of each vector:", vectors.var(dim=-1, unbiased=False))
print("embed.weight.grad:")
print(embed.weight.grad)
