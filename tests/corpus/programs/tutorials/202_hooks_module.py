# title: forward hooks that store activations, and a full backward hook
# expect: match
import torch
import torch.nn as nn

activations = {}
def save_activation(name):
    def hook(module, inputs, output):
        activations[name] = output.detach()
    return hook

grads = []
def save_grad(module, grad_input, grad_output):
    grads.append(grad_output[0].norm().item())

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 1))
h1 = net[0].register_forward_hook(save_activation("fc1"))
h2 = net[2].register_full_backward_hook(save_grad)
x = torch.randn(5, 4)
y = net(x).sum()
y.backward()
print(activations["fc1"].shape, len(grads), round(grads[0], 4))
h1.remove()
h2.remove()
net(x).sum().backward()
print(len(grads))
