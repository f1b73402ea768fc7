# title: Linear regression from scratch in object-oriented style: Module, SGD and a Trainer
# expect: match

import inspect
import random
import torch
from torch import nn

def add_to_class(Class):
    """Decorator: attach the decorated function to Class as a method."""
    def wrapper(obj):
        setattr(Class, obj.__name__, obj)
    return wrapper

class HyperParameters:
    def save_hyperparameters(self, ignore=[]):
        frame = inspect.currentframe().f_back
        _, _, _, local_vars = inspect.getargvalues(frame)
        self.hparams = {k: v for k, v in local_vars.items()
                        if k not in set(ignore + ['self']) and not k.startswith('_')}
        for k, v in self.hparams.items():
            setattr(self, k, v)

class Module(nn.Module, HyperParameters):
    """Shared plumbing for the models below."""
    def __init__(self):
        super().__init__()

    def loss(self, y_hat, y):
        raise NotImplementedError

    def forward(self, X):
        assert hasattr(self, 'net'), 'subclass must set self.net'
        return self.net(X)

    def training_step(self, batch):
        return self.loss(self(*batch[:-1]), batch[-1])

    def validation_step(self, batch):
        return self.loss(self(*batch[:-1]), batch[-1])

class SyntheticRegressionData(HyperParameters):
    def __init__(self, w, b, noise=0.01, num_train=600, num_val=200, batch_size=16):
        self.save_hyperparameters()
        n = num_train + num_val
        self.X = torch.randn(n, len(w))
        self.y = torch.matmul(self.X, w.reshape((-1, 1))) + b + torch.randn(n, 1) * noise

    def get_dataloader(self, train):
        indices = list(range(0, self.num_train)) if train else \
            list(range(self.num_train, self.num_train + self.num_val))
        if train:
            random.shuffle(indices)
        for i in range(0, len(indices), self.batch_size):
            batch_indices = torch.tensor(indices[i: i + self.batch_size])
            yield self.X[batch_indices], self.y[batch_indices]

class LinearRegressionScratch(Module):
    """y = Xw + b with hand-managed parameters."""
    def __init__(self, num_inputs, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.w = torch.normal(0, sigma, (num_inputs, 1), requires_grad=True)
        self.b = torch.zeros(1, requires_grad=True)

@add_to_class(LinearRegressionScratch)
def forward(self, X):
    return torch.matmul(X, self.w) + self.b

@add_to_class(LinearRegressionScratch)
def loss(self, y_hat, y):
    l = (y_hat - y) ** 2 / 2
    return l.mean()

class SGD(HyperParameters):
    """Plain SGD over a list of tensors."""
    def __init__(self, params, lr):
        self.save_hyperparameters()

    def step(self):
        for param in self.params:
            param -= self.lr * param.grad

    def zero_grad(self):
        for param in self.params:
            if param.grad is not None:
                param.grad.zero_()

@add_to_class(LinearRegressionScratch)
def configure_optimizers(self):
    return SGD([self.w, self.b], self.lr)

class Trainer(HyperParameters):
    def __init__(self, max_epochs, gradient_clip_val=0):
        self.save_hyperparameters()

    def fit(self, model, data):
        self.optim = model.configure_optimizers()
        for self.epoch in range(self.max_epochs):
            model.train()
            for batch in data.get_dataloader(train=True):
                loss = model.training_step(batch)
                self.optim.zero_grad()
                with torch.no_grad():
                    loss.backward()
                    self.optim.step()
            model.eval()
            with torch.no_grad():
                val = [model.validation_step(b).item() for b in data.get_dataloader(train=False)]
            print(f'epoch {self.epoch + 1}, validation loss {sum(val) / len(val):.6f}')

model = LinearRegressionScratch(2, lr=0.03)
data = SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
trainer = Trainer(max_epochs=3)
trainer.fit(model, data)

with torch.no_grad():
    print(f'w minus true w: {data.w - model.w.reshape(data.w.shape)}')
    print(f'b minus true b: {data.b - model.b}')
