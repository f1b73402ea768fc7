# title: bigram neural net: F.one_hot inputs, softmax by hand, regularized NLL, W.data += -lr * W.grad
# expect: match
import torch
import torch.nn.functional as F

xs = torch.tensor([0, 5, 13, 13, 1, 0, 15, 12])
ys = torch.tensor([5, 13, 13, 1, 0, 15, 12, 9])
num = xs.nelement()
print('number of examples: ', num)
g = torch.Generator().manual_seed(2147483647)
W = torch.randn((27, 27), generator=g, requires_grad=True)
xenc = F.one_hot(xs, num_classes=27).float()
print(xenc.shape, xenc.dtype)
for k in range(20):
    xenc = F.one_hot(xs, num_classes=27).float()
    logits = xenc @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdims=True)
    loss = -probs[torch.arange(num), ys].log().mean() + 0.01*(W**2).mean()
    if k % 5 == 0:
        print(loss.item())
    W.grad = None
    loss.backward()
    W.data += -50 * W.grad

nlls = torch.zeros(5)
for i in range(5):
    x = xs[i].item()
    y = ys[i].item()
    print('--------')
    print(f'bigram example {i+1}: ({x}, {y})')
    p = probs[i, y]
    logp = torch.log(p)
    nll = -logp
    nlls[i] = nll
print('=========')
print('average negative log likelihood, i.e. loss =', nlls.mean().item())
ix = torch.multinomial(probs[0], num_samples=3, replacement=True, generator=g)
print(ix)
