# title: What a derivative is: a quadratic, its numerical slope, and the slope of d = a*b + c
# expect: match

import math
import numpy as np
import matplotlib.pyplot as plt


def f(x):
    return 2*x**2 - 5*x + 1


print(f(4.0))

xs = np.arange(-4, 6, 0.25)
ys = f(xs)
plt.plot(xs, ys)

# nudge x a tiny bit and see how much f responds
h = 0.000001
for x in [-1.0, 1.25, 3.0]:
    slope = (f(x + h) - f(x)) / h
    print(x, round(slope, 3))   # analytically 4x - 5

# more than one input
a = 3.0
b = -2.0
c = 8.0
d = a*b + c
print(d)

h = 0.0001
for name in ['a', 'b', 'c']:
    a, b, c = 3.0, -2.0, 8.0
    d1 = a*b + c
    if name == 'a':
        a += h
    elif name == 'b':
        b += h
    else:
        c += h
    d2 = a*b + c
    print('d1', d1)
    print('d2', round(d2, 6))
    print(f'slope wrt {name}', round((d2 - d1)/h, 4))

plt.plot(np.arange(-4, 4, 0.2), np.tanh(np.arange(-4, 4, 0.2)))
plt.grid()
plt.show()
print(round(math.tanh(0.8813735870195432), 6))
