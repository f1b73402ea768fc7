# title: saving a model to a file (refused: files)
# expect: refused (files)
import torch
import torch.nn as nn

net = nn.Linear(2, 1)
torch.save(net.state_dict(), 'linear.params')
clone = nn.Linear(2, 1)
clone.load_state_dict(torch.load('linear.params'))
