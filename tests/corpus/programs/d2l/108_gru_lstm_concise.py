# title: GRU and LSTM through nn.GRU / nn.LSTM in an RNNModel with begin_state, clip_grad_norm_
# expect: match
import torch
from torch import nn
from torch.nn import functional as F

class RNNModel(nn.Module):
    def __init__(self, rnn_layer, vocab_size, **kwargs):
        super(RNNModel, self).__init__(**kwargs)
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.num_hiddens = self.rnn.hidden_size
        if not self.rnn.bidirectional:
            self.num_directions = 1
            self.linear = nn.Linear(self.num_hiddens, self.vocab_size)
        else:
            self.num_directions = 2
            self.linear = nn.Linear(self.num_hiddens * 2, self.vocab_size)

    def forward(self, inputs, state):
        X = F.one_hot(inputs.T.long(), self.vocab_size)
        X = X.to(torch.float32)
        Y, state = self.rnn(X, state)
        output = self.linear(Y.reshape((-1, Y.shape[-1])))
        return output, state

    def begin_state(self, device, batch_size=1):
        if not isinstance(self.rnn, nn.LSTM):
            return torch.zeros((self.num_directions * self.rnn.num_layers,
                                batch_size, self.num_hiddens), device=device)
        else:
            return (torch.zeros((self.num_directions * self.rnn.num_layers,
                                 batch_size, self.num_hiddens), device=device),
                    torch.zeros((self.num_directions * self.rnn.num_layers,
                                 batch_size, self.num_hiddens), device=device))

vocab_size, num_hiddens, device = 12, 16, torch.device('cpu')
for layer in (nn.GRU(vocab_size, num_hiddens), nn.LSTM(vocab_size, num_hiddens, num_layers=2)):
    net = RNNModel(layer, vocab_size).to(device)
    updater = torch.optim.SGD(net.parameters(), lr=0.5)
    X = torch.randint(0, vocab_size, (4, 6))
    Y = torch.randint(0, vocab_size, (4, 6))
    for step in range(5):
        state = net.begin_state(device, batch_size=4)
        y_hat, state = net(X, state)
        l = F.cross_entropy(y_hat, Y.T.reshape(-1))
        updater.zero_grad()
        l.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        updater.step()
    print(type(layer).__name__, l.item())
