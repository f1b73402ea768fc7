# title: micrograd Value with tanh, exp, pow and division; backpropagating through one neuron
# expect: match

import math

class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data:.6f})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), '+')
        def _backward():
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), '*')
        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only int/float exponents"
        out = Value(self.data**other, (self,), f'**{other}')
        def _backward():
            self.grad += other * (self.data ** (other - 1)) * out.grad
        out._backward = _backward
        return out

    def __rmul__(self, other): return self * other       # other * self
    def __radd__(self, other): return self + other       # other + self
    def __truediv__(self, other): return self * other**-1  # self / other
    def __neg__(self): return self * -1
    def __sub__(self, other): return self + (-other)

    def tanh(self):
        x = self.data
        t = (math.exp(2*x) - 1)/(math.exp(2*x) + 1)
        out = Value(t, (self, ), 'tanh')
        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        x = self.data
        out = Value(math.exp(x), (self, ), 'exp')
        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def backward(self):
        topo = []
        visited = set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()

def neuron(use_exp):
    x1 = Value(2.0, label='x1')
    x2 = Value(0.0, label='x2')
    w1 = Value(-3.0, label='w1')
    w2 = Value(1.0, label='w2')
    b = Value(6.8813735870195432, label='b')
    n = x1*w1 + x2*w2 + b
    if use_exp:
        e = (2*n).exp()
        o = (e - 1) / (e + 1)
    else:
        o = n.tanh()
    o.backward()
    return o, [x1, w1, x2, w2, b]

o, leaves = neuron(use_exp=False)
print(o)
for v in leaves:
    print(v.label, round(v.grad, 6))

# the same function spelled with exp and division gives the same gradients
o2, leaves2 = neuron(use_exp=True)
print(o2)
print(all(abs(p.grad - q.grad) < 1e-9 for p, q in zip(leaves, leaves2)))

# a node used twice must accumulate its gradient
a = Value(3.0, label='a')
b = a + a
b.backward()
print(a.grad)

a = Value(-2.0, label='a')
b = Value(3.0, label='b')
d = a * b
e = a + b
f = d * e
f.backward()
print(a.grad, b.grad)
print(2 * Value(4.0), Value(4.0) / 8, 1 + Value(0.5))
