# title: 注意力评分函数：掩蔽softmax、加性注意力与缩放点积注意力
# expect: match

import math
import torch
from torch import nn

def sequence_mask(X, valid_len, value=0):
    """每行只保留前valid_len个位置，后面的填成value"""
    maxlen = X.size(1)
    mask = torch.arange((maxlen), dtype=torch.float32,
                        device=X.device)[None, :] < valid_len[:, None]
    X[~mask] = value
    return X

def masked_softmax(X, valid_lens):
    """只在有效长度以内做softmax，其余位置权重为0"""
    # X: 3D张量，valid_lens: 1D或2D张量
    if valid_lens is None:
        return nn.functional.softmax(X, dim=-1)
    else:
        shape = X.shape
        if valid_lens.dim() == 1:
            valid_lens = torch.repeat_interleave(valid_lens, shape[1])
        else:
            valid_lens = valid_lens.reshape(-1)
        # 被掩蔽的元素替换为一个很大的负数，softmax后为0
        X = sequence_mask(X.reshape(-1, shape[-1]), valid_lens, value=-1e6)
        return nn.functional.softmax(X.reshape(shape), dim=-1)

print(masked_softmax(torch.rand(2, 2, 5), torch.tensor([2, 4])))
print(masked_softmax(torch.rand(2, 2, 5), torch.tensor([[1, 3], [2, 5]])))

class AdditiveAttention(nn.Module):
    """查询和键各自线性变换后相加，经tanh再打分"""
    def __init__(self, key_size, query_size, num_hiddens, dropout, **kwargs):
        super(AdditiveAttention, self).__init__(**kwargs)
        self.W_k = nn.Linear(key_size, num_hiddens, bias=False)
        self.W_q = nn.Linear(query_size, num_hiddens, bias=False)
        self.w_v = nn.Linear(num_hiddens, 1, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries, keys, values, valid_lens):
        queries, keys = self.W_q(queries), self.W_k(keys)
        # 扩展维度后用广播求和
        # queries: (batch_size, 查询个数, 1, num_hiddens)
        # keys: (batch_size, 1, 键值对个数, num_hiddens)
        features = queries.unsqueeze(2) + keys.unsqueeze(1)
        features = torch.tanh(features)
        # scores: (batch_size, 查询个数, 键值对个数)
        scores = self.w_v(features).squeeze(-1)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)

queries, keys = torch.normal(0, 1, (2, 1, 16)), torch.ones((2, 8, 2))
# 两个批量的值矩阵相同
values = torch.arange(32, dtype=torch.float32).reshape(1, 8, 4).repeat(2, 1, 1)
valid_lens = torch.tensor([3, 7])

attention = AdditiveAttention(key_size=2, query_size=16, num_hiddens=6, dropout=0.1)
attention.eval()
print(attention(queries, keys, values, valid_lens))
print('注意力权重:', attention.attention_weights.reshape(2, 8))

class DotProductAttention(nn.Module):
    """点积打分并除以根号d"""
    def __init__(self, dropout, **kwargs):
        super(DotProductAttention, self).__init__(**kwargs)
        self.dropout = nn.Dropout(dropout)

    # queries: (batch_size, 查询个数, d)
    # keys: (batch_size, 键值对个数, d)
    # values: (batch_size, 键值对个数, 值的维度)
    def forward(self, queries, keys, values, valid_lens=None):
        d = queries.shape[-1]
        # keys转置成(batch_size, d, 键值对个数)
        scores = torch.bmm(queries, keys.transpose(1, 2)) / math.sqrt(d)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)

queries = torch.normal(0, 1, (2, 1, 2))
attention = DotProductAttention(dropout=0.5)
attention.eval()
print(attention(queries, keys, values, valid_lens))
# 键都相同，所以有效位置上的权重是均匀的
print(attention.attention_weights.reshape(2, 8))
