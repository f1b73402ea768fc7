# title: Checking a scalar autograd engine against PyTorch on two tangled expressions
# expect: match

import torch


class Value:
    def __init__(self, data, _children=()):
        self.data, self.grad = data, 0.0
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

    def __pow__(self, k):
        assert isinstance(k, (int, float))
        out = Value(self.data**k, (self,))
        def _backward():
            self.grad += (k * self.data**(k-1)) * out.grad
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
    def __sub__(self, other): return self + (-other)
    def __rsub__(self, other): return other + (-self)
    def __rmul__(self, other): return self * other
    def __truediv__(self, other): return self * other**-1
    def __rtruediv__(self, other): return other * self**-1


def expression_one(x):
    z = 3 * x + 1 - x
    q = z.relu() + z * x
    h = (z * z).relu()
    return h + q + q * x


def expression_two(a, b):
    c = a + b
    d = a * b + b**2
    c = c + c + 2
    c = c + 1 + c + (-a)
    d = d + d * 3 + (b + a).relu()
    d = d + 2 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 3.0
    return g + 5.0 / f


# expression one, micrograd then torch (double precision)
x = Value(-3.0)
y = expression_one(x)
y.backward()
xt = torch.tensor([-3.0], dtype=torch.double, requires_grad=True)
yt = expression_one(xt)
yt.backward()
print('forward ', y.data, yt.item(), abs(y.data - yt.item()) < 1e-9)
print('backward', x.grad, xt.grad.item(), abs(x.grad - xt.grad.item()) < 1e-9)

# expression two
a, b = Value(-2.0), Value(3.0)
g = expression_two(a, b)
g.backward()
at = torch.tensor([-2.0], dtype=torch.double, requires_grad=True)
bt = torch.tensor([3.0], dtype=torch.double, requires_grad=True)
gt = expression_two(at, bt)
gt.backward()

tol = 1e-6
print(f'g    micrograd {g.data:.6f}  torch {gt.item():.6f}  ok {abs(g.data - gt.item()) < tol}')
print(f'dg/da micrograd {a.grad:.6f}  torch {at.grad.item():.6f}  ok {abs(a.grad - at.grad.item()) < tol}')
print(f'dg/db micrograd {b.grad:.6f}  torch {bt.grad.item():.6f}  ok {abs(b.grad - bt.grad.item()) < tol}')
