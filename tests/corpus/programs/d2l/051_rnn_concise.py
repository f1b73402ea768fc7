# title: Concise RNN with nn.RNN / nn.GRU wrapped in an RNNModel class
# expect: match

import math
import torch
from torch import nn
from torch.nn import functional as F

text = 'abcdefghij' * 30
chars = sorted(set(text))
vocab = {c: i for i, c in enumerate(chars)}
corpus = torch.tensor([vocab[c] for c in text])

batch_size, num_steps, num_hiddens = 4, 12, 32
rnn_layer = nn.RNN(len(vocab), num_hiddens)

state = torch.zeros((1, batch_size, num_hiddens))
print(state.shape)
X = torch.rand(size=(num_steps, batch_size, len(vocab)))
Y, state_new = rnn_layer(X, state)
print(Y.shape, state_new.shape)

class RNNModel(nn.Module):
    """Wrap a recurrent layer with one-hot inputs and a linear output layer."""
    def __init__(self, rnn_layer, vocab_size, **kwargs):
        super(RNNModel, self).__init__(**kwargs)
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.num_hiddens = self.rnn.hidden_size
        # a bidirectional RNN would need num_directions = 2
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
        # (num_steps * batch_size, num_hiddens) -> (num_steps * batch_size, vocab_size)
        output = self.linear(Y.reshape((-1, Y.shape[-1])))
        return output, state

    def begin_state(self, batch_size=1):
        if not isinstance(self.rnn, nn.LSTM):
            # RNN and GRU: the state is one tensor
            return torch.zeros((self.num_directions * self.rnn.num_layers,
                                batch_size, self.num_hiddens))
        else:
            # nn.LSTM takes a tuple
            return (torch.zeros((self.num_directions * self.rnn.num_layers,
                                 batch_size, self.num_hiddens)),
                    torch.zeros((self.num_directions * self.rnn.num_layers,
                                 batch_size, self.num_hiddens)))

def predict(prefix, num_preds, net):
    state = net.begin_state(batch_size=1)
    outputs = [vocab[prefix[0]]]
    for c in prefix[1:]:
        _, state = net(torch.tensor([[outputs[-1]]]), state)
        outputs.append(vocab[c])
    for _ in range(num_preds):
        y, state = net(torch.tensor([[outputs[-1]]]), state)
        outputs.append(int(y.argmax(dim=1).reshape(1)))
    return ''.join(chars[i] for i in outputs)

def batches():
    n = (len(corpus) - 1) // (batch_size * num_steps) * batch_size * num_steps
    Xs = corpus[:n].reshape(batch_size, -1)
    Ys = corpus[1:n + 1].reshape(batch_size, -1)
    for i in range(0, Xs.shape[1], num_steps):
        yield Xs[:, i:i + num_steps], Ys[:, i:i + num_steps]

def train(net, num_epochs, lr):
    loss = nn.CrossEntropyLoss()
    updater = torch.optim.SGD(net.parameters(), lr)
    for epoch in range(num_epochs):
        state = net.begin_state(batch_size)
        total, n = 0.0, 0
        for X, Y in batches():
            if isinstance(state, tuple):
                state = tuple(s.detach() for s in state)
            else:
                state = state.detach()
            y_hat, state = net(X, state)
            l = loss(y_hat, Y.T.reshape(-1))
            updater.zero_grad()
            l.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1)
            updater.step()
            total += l.item() * Y.numel()
            n += Y.numel()
        if (epoch + 1) % 4 == 0:
            print(f'epoch {epoch + 1}, perplexity {math.exp(total / n):.2f}')

net = RNNModel(rnn_layer, vocab_size=len(vocab))
print('before training:', len(predict('abc', 8, net)), 'characters')
train(net, 12, 1.0)
print(predict('abc', 8, net))

gru_net = RNNModel(nn.GRU(len(vocab), num_hiddens), len(vocab))
train(gru_net, 8, 1.0)
lstm_net = RNNModel(nn.LSTM(len(vocab), num_hiddens), len(vocab))
print(type(lstm_net.begin_state()).__name__, len(lstm_net.begin_state()))
