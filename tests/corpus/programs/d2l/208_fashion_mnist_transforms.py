# title: FashionMNIST with torchvision transforms (download refused)
# expect: refused (network)
import torch
import torchvision
from torchvision import transforms
from torch.utils import data

trans = transforms.ToTensor()
mnist_train = torchvision.datasets.FashionMNIST(root="../data", train=True, transform=trans, download=True)
print(len(mnist_train))
