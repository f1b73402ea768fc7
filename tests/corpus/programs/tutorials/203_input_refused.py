# title: asking the user for a learning rate with input()
# expect: refused (input)
import torch
lr = float(input("learning rate: "))
w = torch.ones(1, requires_grad=True)
