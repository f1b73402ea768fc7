# title: 3.5 图像分类数据集（Fashion-MNIST）：下载并读取小批量
# expect: refused (network)

import sys
import torch
import torchvision
import torchvision.transforms as transforms

# 第一次运行会从网上下载数据集到 ~/Datasets/FashionMNIST
mnist_train = torchvision.datasets.FashionMNIST(root='~/Datasets/FashionMNIST', train=True,
                                                download=True, transform=transforms.ToTensor())
mnist_test = torchvision.datasets.FashionMNIST(root='~/Datasets/FashionMNIST', train=False,
                                               download=True, transform=transforms.ToTensor())
print(type(mnist_train))
print(len(mnist_train), len(mnist_test))

# 数据集可以像列表一样用下标取样本
feature, label = mnist_train[0]
print(feature.shape, feature.dtype)  # Channel x Height x Width
print(label)


def get_fashion_mnist_labels(labels):
    text_labels = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat',
                   'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot']
    return [text_labels[int(i)] for i in labels]


X, y = [], []
for i in range(8):
    X.append(mnist_train[i][0])
    y.append(mnist_train[i][1])
print(get_fashion_mnist_labels(y))

# 读取小批量
batch_size = 256
if sys.platform.startswith('win'):
    num_workers = 0  # Windows 上用多进程读数据容易出问题，所以设为0
else:
    num_workers = 4
train_iter = torch.utils.data.DataLoader(mnist_train, batch_size=batch_size, shuffle=True, num_workers=num_workers)
test_iter = torch.utils.data.DataLoader(mnist_test, batch_size=batch_size, shuffle=False, num_workers=num_workers)

n_batches = 0
for X, y in train_iter:
    n_batches += 1
print('一共读取了 %d 个小批量' % n_batches)
