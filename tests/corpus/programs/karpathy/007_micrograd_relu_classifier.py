# title: micrograd demo in miniature: a ReLU MLP separating two moons with a max-margin loss
# expect: match

import math
import random
import matplotlib.pyplot as plt


class Value:
    def __init__(self, data, _children=()):
        self.data, self.grad = data, 0
        self._backward = lambda: None
        self._prev = set(_children)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))
        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))
        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(0 if self.data < 0 else self.data, (self,))
        def _backward():
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        topo, visited = [], set()
        def build(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build(child)
                topo.append(v)
        build(self)
        self.grad = 1
        for v in reversed(topo):
            v._backward()

    def __neg__(self): return self * -1
    def __radd__(self, other): return self + other
    def __rsub__(self, other): return other + (-self)
    def __rmul__(self, other): return self * other


class Module:
    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0

class Neuron(Module):
    def __init__(self, nin, nonlin=True):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.nonlin = nonlin
    def __call__(self, x):
        act = sum((wi*xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act
    def parameters(self):
        return self.w + [self.b]

class MLP(Module):
    def __init__(self, nin, nouts):
        sz = [nin] + nouts
        self.layers = [[Neuron(sz[i], nonlin=i != len(nouts)-1) for _ in range(sz[i+1])] for i in range(len(nouts))]
    def __call__(self, x):
        for layer in self.layers:
            x = [n(x) for n in layer]
        return x[0]
    def parameters(self):
        return [p for layer in self.layers for n in layer for p in n.parameters()]


random.seed(1337)
# two interleaving half circles, labels -1 / +1
X, y = [], []
for i in range(10):
    t = math.pi * (i % 5) / 4
    top = i < 5
    cx, cy = (math.cos(t), math.sin(t)) if top else (1 - math.cos(t), 0.5 - math.sin(t))
    X.append([cx + random.gauss(0, 0.1), cy + random.gauss(0, 0.1)])
    y.append(1 if top else -1)

model = MLP(2, [4, 4, 1])
print('number of parameters', len(model.parameters()))


def loss_fn():
    scores = [model(list(map(Value, xrow))) for xrow in X]
    losses = [(1 + -yi*si).relu() for yi, si in zip(y, scores)]  # svm max-margin
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum((p*p for p in model.parameters()))
    acc = [(yi > 0) == (si.data > 0) for yi, si in zip(y, scores)]
    return data_loss + reg_loss, sum(acc) / len(acc)


for k in range(6):
    total_loss, acc = loss_fn()
    model.zero_grad()
    total_loss.backward()
    learning_rate = 1.0 - 0.9*k/6
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    print(f"step {k} loss {total_loss.data:.5f}, accuracy {acc*100:.1f}%")

plt.scatter([p[0] for p in X], [p[1] for p in X], c=y, s=40, cmap='jet')
plt.show()
