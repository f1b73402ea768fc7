# title: Activation and gradient statistics: why weights get scaled by gain/sqrt(fan_in)
# expect: match

import torch
import matplotlib.pyplot as plt

x = torch.randn(1000, 10)
w = torch.randn(10, 200)
y = x @ w
print(f'x mean {x.mean():.3f} std {x.std():.3f}')
print(f'y mean {y.mean():.3f} std {y.std():.3f}  (unscaled weights)')
w = torch.randn(10, 200) / 10**0.5
y = x @ w
print(f'y mean {y.mean():.3f} std {y.std():.3f}  (weights / sqrt(fan_in))')

plt.figure(figsize=(20, 5))
plt.subplot(121)
plt.hist(x.view(-1).tolist(), 50, density=True)
plt.subplot(122)
plt.hist(y.view(-1).tolist(), 50, density=True)

# a deep stack of linear + tanh layers with different gains
g = torch.Generator().manual_seed(2147483647)
for gain in [0.5, 1.0, 5/3, 3.0]:
    h = torch.randn(500, 100, generator=g)
    stats = []
    for layer in range(5):
        W = torch.randn(100, 100, generator=g) * gain / 100**0.5
        h = torch.tanh(h @ W)
        stats.append('%.2f/%.0f%%' % (h.std().item(), (h.abs() > 0.97).float().mean().item() * 100))
    print(f'gain {gain:.2f}: ' + '  '.join(stats))

# the same scaling from torch.nn.init
W = torch.empty(100, 100)
torch.nn.init.kaiming_normal_(W, nonlinearity='tanh')
print('kaiming std', round(W.std().item(), 3), 'target', round((5/3) / 100**0.5, 3))

# backward statistics through one linear layer
a = torch.randn((300, 1), requires_grad=True, generator=g)
b = torch.randn((300, 300), requires_grad=True, generator=g)
c = b @ a
c.retain_grad()
loss = torch.randn(300, generator=g) @ c
loss.backward()
print('a std:', round(a.std().item(), 3))
print('b std:', round(b.std().item(), 3))
print('c std:', round(c.std().item(), 3))
print('-----')
print('c grad std:', round(c.grad.std().item(), 3))
print('a grad std:', round(a.grad.std().item(), 3))
print('b grad std:', round(b.grad.std().item(), 3))

hy, hx = torch.histogram(c.detach().view(-1), bins=30, density=True)
plt.figure()
plt.plot(hx[:-1], hy)
plt.show()
