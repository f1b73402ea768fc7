# title: 4.5 读取和存储：torch.save / torch.load 与 state_dict
# expect: refused (files)

import torch
from torch import nn

# 读写Tensor
x = torch.ones(4)
torch.save(x, 'x.pt')

x2 = torch.load('x.pt')
print(x2)

y = torch.zeros(3)
torch.save([x, y], 'xy.pt')
xy_list = torch.load('xy.pt')
print(xy_list)

torch.save({'x': x, 'y': y}, 'xy_dict.pt')
xy = torch.load('xy_dict.pt')
print(xy)


# 读写模型
class MLP(nn.Module):
    def __init__(self):
        super(MLP, self).__init__()
        self.hidden = nn.Linear(4, 3)
        self.act = nn.ReLU()
        self.output = nn.Linear(3, 1)

    def forward(self, x):
        a = self.act(self.hidden(x))
        return self.output(a)


net = MLP()
print(net.state_dict())

optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
print(optimizer.state_dict())

# 保存和加载state_dict(推荐方式)
X = torch.randn(2, 4)
Y = net(X)

PATH = "./net.pt"
torch.save(net.state_dict(), PATH)

net2 = MLP()
net2.load_state_dict(torch.load(PATH))
Y2 = net2(X)
print(Y2 == Y)

# 保存和加载整个模型
torch.save(net, './whole_net.pt')
net3 = torch.load('./whole_net.pt', weights_only=False)
print(net3(X) == Y)
