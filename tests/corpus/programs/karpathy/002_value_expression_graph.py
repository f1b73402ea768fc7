# title: A tiny Value class, an expression graph L = (a*b + c) * f, and gradients filled in by hand
# expect: match

class Value:

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):
        return Value(self.data + other.data, (self, other), '+')

    def __mul__(self, other):
        return Value(self.data * other.data, (self, other), '*')


def trace(root):
    # collect every node and edge reachable from the root
    nodes, edges = set(), set()
    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)
    build(root)
    return nodes, edges


a = Value(3.0, label='a')
b = Value(-4.0, label='b')
c = Value(10.0, label='c')
e = a*b; e.label = 'e'
d = e + c; d.label = 'd'
f = Value(-3.0, label='f')
L = d * f; L.label = 'L'
print(L)
print(d._prev == {e, c}, d._op)

nodes, edges = trace(L)
for child, parent in sorted(edges, key=lambda ed: (ed[1].label, ed[0].label)):
    print(f"{child.label:>2} --{parent._op}--> {parent.label}")
print(len(nodes), 'nodes')

# chain rule, one node at a time, from the output back
L.grad = 1.0
f.grad = d.data * L.grad
d.grad = f.data * L.grad
c.grad = 1.0 * d.grad
e.grad = 1.0 * d.grad
a.grad = b.data * e.grad
b.grad = a.data * e.grad
for v in [a, b, c, d, e, f, L]:
    print(f"{v.label} | data {v.data:.4f} | grad {v.grad:.4f}")


def numeric_grad(which, h=0.001):
    def forward(bump):
        vals = {'a': 3.0, 'b': -4.0, 'c': 10.0, 'f': -3.0}
        vals[which] += bump
        a = Value(vals['a']); b = Value(vals['b'])
        c = Value(vals['c']); f = Value(vals['f'])
        return ((a*b + c) * f).data
    return (forward(h) - forward(0.0)) / h


for name in ['a', 'b', 'c', 'f']:
    print(name, round(numeric_grad(name), 3))

# one step in the direction of the gradient makes L go up
for leaf in [a, b, c, f]:
    leaf.data += 0.01 * leaf.grad
e = a * b
d = e + c
L = d * f
print(round(L.data, 6))
