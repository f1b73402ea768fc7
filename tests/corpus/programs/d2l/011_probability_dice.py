# title: 概率：掷骰子与多项分布采样
# expect: match

import torch
from torch.distributions import multinomial

# 一个公平的骰子，六个面的概率相同
fair_probs = torch.ones([6]) / 6
print(multinomial.Multinomial(1, fair_probs).sample())
print(multinomial.Multinomial(12, fair_probs).sample())

# 掷1200次，用相对频率估计概率
counts = multinomial.Multinomial(1200, fair_probs).sample()
print('相对频率:', counts / 1200)

# 做400组实验，每组掷8次
counts = multinomial.Multinomial(8, fair_probs).sample((400,))
cum_counts = counts.cumsum(dim=0)
estimates = cum_counts / cum_counts.sum(dim=1, keepdims=True)
print('前3组后的估计:', estimates[2])
print('400组后的估计:', estimates[-1])

# 一个不公平的骰子
loaded = torch.tensor([0.1, 0.1, 0.1, 0.1, 0.1, 0.5])
counts = multinomial.Multinomial(1000, loaded).sample()
print('不公平骰子的频率:', counts / 1000)

# 联合概率与条件概率：两次掷骰子点数之和为7
rolls = multinomial.Multinomial(1, fair_probs).sample((2000, 2)).argmax(dim=-1) + 1
total = rolls.sum(dim=1)
p_seven = (total == 7).float().mean()
print('P(和为7)的估计:', round(p_seven.item(), 3))
first_is_three = rolls[:, 0] == 3
p_cond = ((total == 7) & first_is_three).float().sum() / first_is_three.float().sum()
print('P(和为7 | 第一次为3)的估计:', round(p_cond.item(), 3))

# 期望与方差
faces = torch.arange(1, 7, dtype=torch.float32)
mean = (faces * fair_probs).sum()
var = ((faces - mean) ** 2 * fair_probs).sum()
print(f'期望 {mean:.3f}, 方差 {var:.3f}')
