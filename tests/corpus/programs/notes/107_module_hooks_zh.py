# title: hook 函数：register_hook 修改梯度、forward hook 取特征图、full backward hook、handle.remove()
# expect: match
import torch
import torch.nn as nn

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
a_grad = list()

def grad_hook(grad):
    a_grad.append(grad)

handle = a.register_hook(grad_hook)
w.register_hook(lambda grad: grad * 2)
y.backward()
print("gradient:", w.grad, x.grad, a.grad, b.grad, y.grad)
print("a_grad[0]: ", a_grad[0])
handle.remove()

class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 2, 3)
        self.pool1 = nn.MaxPool2d(2, 2)

    def forward(self, x):
        x = self.conv1(x)
        x = self.pool1(x)
        return x

def forward_hook(module, data_input, data_output):
    fmap_block.append(data_output)
    input_block.append(data_input)

def forward_pre_hook(module, data_input):
    print("forward_pre_hook input:{}".format(data_input[0].shape))

def backward_hook(module, grad_input, grad_output):
    print("backward hook input:{}".format(grad_input[0].shape if grad_input[0] is not None else None))
    print("backward hook output:{}".format(grad_output[0].shape))

net = Net()
net.conv1.weight[0].detach().fill_(1)
net.conv1.weight[1].detach().fill_(2)
net.conv1.bias.data.detach().zero_()
fmap_block = list()
input_block = list()
h1 = net.conv1.register_forward_hook(forward_hook)
h2 = net.conv1.register_forward_pre_hook(forward_pre_hook)
h3 = net.conv1.register_full_backward_hook(backward_hook)
fake_img = torch.ones((1, 1, 4, 4))
output = net(fake_img)
loss_fnc = nn.L1Loss()
target = torch.randn_like(output)
loss = loss_fnc(target, output)
loss.backward()
print("output shape: {}\noutput value: {}\n".format(output.shape, output))
print("feature maps shape: {}\noutput value: {}\n".format(fmap_block[0].shape, fmap_block[0]))
print("input shape: {}\ninput value: {}".format(input_block[0][0].shape, input_block[0]))
for h in (h1, h2, h3):
    h.remove()
