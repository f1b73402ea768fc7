# title: the error a learner hits: .numpy() on a tensor that requires grad (for plotting)
# expect: match
import torch
import matplotlib.pyplot as plt

x = torch.linspace(-3, 3, 50, requires_grad=True)
y = torch.sigmoid(x)
y.sum().backward()
plt.plot(x.detach().numpy(), x.grad.numpy(), label="grad")
plt.plot(x.numpy(), y.numpy(), label="sigmoid")
plt.legend()
plt.show()
