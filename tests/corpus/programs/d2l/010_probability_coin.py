# title: Probability: sampling coin tosses with Multinomial and watching frequencies converge
# expect: match

import random
import torch
from torch.distributions.multinomial import Multinomial
import matplotlib.pyplot as plt

# tossing a coin with the random module
num_tosses = 200
heads = sum([random.random() > 0.5 for _ in range(num_tosses)])
tails = num_tosses - heads
print('heads/tails:', [heads, tails])

# the same experiment with torch
fair_probs = torch.tensor([0.5, 0.5])
print(Multinomial(200, fair_probs).sample())
print(Multinomial(200, fair_probs).sample() / 200)

# with many more tosses the frequencies approach 0.5
counts = Multinomial(20000, fair_probs).sample()
print(counts / 20000)

# running estimates, one toss at a time
counts = Multinomial(1, fair_probs).sample((5000,))
cum_counts = counts.cumsum(dim=0)
estimates = cum_counts / cum_counts.sum(dim=1, keepdims=True)
estimates = estimates.numpy()
print('estimate after 10 tosses:', estimates[9])
print('estimate after 5000 tosses:', estimates[-1])

plt.figure(figsize=(4.5, 3.5))
plt.plot(estimates[:, 0], label='heads')
plt.plot(estimates[:, 1], label='tails')
plt.axhline(y=0.5, color='black', linestyle='dashed')
plt.gca().set_xlabel('number of tosses')
plt.gca().set_ylabel('running frequency')
plt.legend()
