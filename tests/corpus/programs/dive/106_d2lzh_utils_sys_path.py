# title: the old notebooks add '..' to sys.path and import d2lzh_pytorch
# expect: refused (package)
import torch
import sys
sys.path.append("..")
import d2lzh_pytorch as d2l

batch_size = 256
train_iter, test_iter = d2l.load_data_fashion_mnist(batch_size)
