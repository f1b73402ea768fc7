# title: GRU and LSTM concise: nn.GRU / nn.LSTM with a state, clip_grad_norm_
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
            return (torch.zeros((
                self.num_directions * self.rnn.num_layers,
                batch_size, self.num_hiddens), device=device),
                    torch.zeros((
                        self.num_directions * self.rnn.num_layers,
                        batch_size, self.num_hiddens), device=device))

torch.manual_seed(0)
vocab_size, num_hiddens = 8, 12
X = torch.randint(0, vocab_size, (2, 5))
Yt = torch.randint(0, vocab_size, (5, 2)).reshape(-1)
for layer in [nn.GRU(vocab_size, num_hiddens), nn.LSTM(vocab_size, num_hiddens, num_layers=2),
              nn.GRU(vocab_size, num_hiddens, bidirectional=True)]:
    net = RNNModel(layer, vocab_size)
    state = net.begin_state('cpu', batch_size=2)
    opt = torch.optim.SGD(net.parameters(), lr=1)
    for _ in range(3):
        if isinstance(state, tuple):
            state = tuple(s.detach_() for s in state)
        else:
            state.detach_()
        y_hat, state = net(X, state)
        l = nn.CrossEntropyLoss()(y_hat, Yt)
        opt.zero_grad()
        l.backward()
        total = nn.utils.clip_grad_norm_(net.parameters(), 1)
        opt.step()
    print(type(layer).__name__, round(l.item(), 4), y_hat.shape, round(float(total), 4))
