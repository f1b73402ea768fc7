# title: 5.5 卷积神经网络（LeNet），用随机1x28x28数据训练
# expect: match

import torch
from torch import nn, optim
import torch.utils.data as Data

device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')


class LeNet(nn.Module):
    def __init__(self):
        super(LeNet, self).__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 6, 5),  # 输入通道, 输出通道, 核大小
            nn.Sigmoid(),
            nn.MaxPool2d(2, 2),  # 窗口大小, 步幅
            nn.Conv2d(6, 16, 5),
            nn.Sigmoid(),
            nn.MaxPool2d(2, 2)
        )
        self.fc = nn.Sequential(
            nn.Linear(16 * 4 * 4, 120),
            nn.Sigmoid(),
            nn.Linear(120, 84),
            nn.Sigmoid(),
            nn.Linear(84, 10)
        )

    def forward(self, img):
        feature = self.conv(img)
        output = self.fc(feature.view(img.shape[0], -1))
        return output


net = LeNet()
print(net)

# 看看每一层输出的形状
X = torch.rand(1, 1, 28, 28)
for blk in net.conv:
    X = blk(X)
    print(blk.__class__.__name__, 'output shape:', X.shape)

# 获取数据：随机生成的"图片"，每类的图片在不同位置有一个亮块
def make_images(n):
    y = torch.randint(0, 10, (n,))
    X = 0.2 * torch.rand(n, 1, 28, 28)
    for c in range(10):
        r, col = (c // 5) * 12 + 2, (c % 5) * 5 + 1
        X[y == c, :, r:r + 10, col:col + 4] += 0.8
    return X, y


batch_size = 64
train_iter = Data.DataLoader(Data.TensorDataset(*make_images(384)), batch_size=batch_size, shuffle=True)
test_iter = Data.DataLoader(Data.TensorDataset(*make_images(128)), batch_size=batch_size)


def evaluate_accuracy(data_iter, net, device=None):
    if device is None and isinstance(net, torch.nn.Module):
        # 没传device就用模型参数所在的设备
        device = list(net.parameters())[0].device
    acc_sum, n = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            net.eval()  # 切到eval模式，Dropout不再起作用
            acc_sum += (net(X.to(device)).argmax(dim=1) == y.to(device)).float().sum().cpu().item()
            net.train()  # 评估完切回train模式
            n += y.shape[0]
    return acc_sum / n


def train_ch5(net, train_iter, test_iter, batch_size, optimizer, device, num_epochs):
    net = net.to(device)
    print("training on ", device)
    loss = torch.nn.CrossEntropyLoss()
    batch_count = 0
    for epoch in range(num_epochs):
        train_l_sum, train_acc_sum, n = 0.0, 0.0, 0
        for X, y in train_iter:
            X = X.to(device)
            y = y.to(device)
            y_hat = net(X)
            l = loss(y_hat, y)
            optimizer.zero_grad()
            l.backward()
            optimizer.step()
            train_l_sum += l.cpu().item()
            train_acc_sum += (y_hat.argmax(dim=1) == y).sum().cpu().item()
            n += y.shape[0]
            batch_count += 1
        test_acc = evaluate_accuracy(test_iter, net)
        print('epoch %d, loss %.4f, train acc %.3f, test acc %.3f'
              % (epoch + 1, train_l_sum / batch_count, train_acc_sum / n, test_acc))


lr, num_epochs = 0.01, 4
optimizer = torch.optim.Adam(net.parameters(), lr=lr)
train_ch5(net, train_iter, test_iter, batch_size, optimizer, device, num_epochs)
