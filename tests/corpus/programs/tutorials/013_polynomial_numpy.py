# title: Fitting y = sin(x) with a cubic polynomial in plain NumPy, gradients by hand
# expect: match

import numpy as np
import math

# sample the target curve
x = np.linspace(-math.pi, math.pi, 2000)
y = np.sin(x)

# start from random coefficients
a = np.random.randn()
b = np.random.randn()
c = np.random.randn()
d = np.random.randn()

learning_rate = 1e-6
for t in range(2000):
    # forward: y_hat = a + b x + c x^2 + d x^3
    y_pred = a + b * x + c * x ** 2 + d * x ** 3

    # sum of squared errors
    loss = np.square(y_pred - y).sum()
    if t % 100 == 99:
        print(t, round(float(loss), 4))

    # derivatives of the loss with respect to each coefficient
    grad_y_pred = 2.0 * (y_pred - y)
    grad_a = grad_y_pred.sum()
    grad_b = (grad_y_pred * x).sum()
    grad_c = (grad_y_pred * x ** 2).sum()
    grad_d = (grad_y_pred * x ** 3).sum()

    # plain gradient descent
    a -= learning_rate * grad_a
    b -= learning_rate * grad_b
    c -= learning_rate * grad_c
    d -= learning_rate * grad_d

print(f"Result: y = {a:.5f} + {b:.5f} x + {c:.5f} x^2 + {d:.5f} x^3")
