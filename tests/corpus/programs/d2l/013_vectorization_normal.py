# title: Linear regression background: vectorization with a Timer and the normal distribution
# expect: match

import math
import time
import numpy as np
import torch
import matplotlib.pyplot as plt

class Timer:
    """Stopwatch that keeps every measured interval."""
    def __init__(self):
        self.times = []
        self.start()

    def start(self):
        """Begin a new interval."""
        self.tik = time.time()

    def stop(self):
        """End the interval, store it, and return it."""
        self.times.append(time.time() - self.tik)
        return self.times[-1]

    def avg(self):
        """Mean of the stored intervals."""
        return sum(self.times) / len(self.times)

    def sum(self):
        """Total of the stored intervals."""
        return sum(self.times)

    def cumsum(self):
        """Running totals, as a list."""
        return np.array(self.times).cumsum().tolist()

n = 5000
a = torch.ones([n])
b = torch.ones([n]) * 2

# add the vectors one coordinate at a time
c = torch.zeros(n)
timer = Timer()
for i in range(n):
    c[i] = a[i] + b[i]
loop_time = timer.stop()

# add them with a single vectorized call
timer.start()
d = a + b
vec_time = timer.stop()
print('results agree:', bool(torch.equal(c, d)))
print('number of timings recorded:', len(timer.times))

def normal(x, mu, sigma):
    p = 1 / math.sqrt(2 * math.pi * sigma ** 2)
    return p * np.exp(-0.5 / sigma ** 2 * (x - mu) ** 2)

x = np.arange(-6, 6, 0.01)
params = [(0, 1), (0, 2), (2, 1)]
plt.figure(figsize=(4.5, 2.5))
for mu, sigma in params:
    y = normal(x, mu, sigma)
    plt.plot(x, y, label=f'mu={mu}, sigma={sigma}')
    print(f'mu={mu}, sigma={sigma}: peak {y.max():.4f}, area {y.sum() * 0.01:.4f}')
plt.xlabel('x')
plt.ylabel('p(x)')
plt.legend()
