# title: Object-oriented design utilities: add_to_class, save_hyperparameters and a synthetic DataModule
# expect: match

import inspect
import random
import torch

def add_to_class(Class):
    """Decorator: attach the decorated function to Class as a method."""
    def wrapper(obj):
        setattr(Class, obj.__name__, obj)
    return wrapper

class A:
    def __init__(self):
        self.b = 1

a = A()

@add_to_class(A)
def do(self):
    print('self.b =', self.b)

a.do()

class HyperParameters:
    """Mixin that stores constructor arguments as attributes."""
    def save_hyperparameters(self, ignore=[]):
        """Read the caller's arguments from its frame and set them on self."""
        frame = inspect.currentframe().f_back
        _, _, _, local_vars = inspect.getargvalues(frame)
        self.hparams = {k: v for k, v in local_vars.items()
                        if k not in set(ignore + ['self']) and not k.startswith('_')}
        for k, v in self.hparams.items():
            setattr(self, k, v)

class B(HyperParameters):
    def __init__(self, a, b, c):
        self.save_hyperparameters(ignore=['c'])
        print('self.a =', self.a, 'self.b =', self.b)
        print('c was ignored:', not hasattr(self, 'c'))

b = B(a=1, b=2, c=3)

class DataModule(HyperParameters):
    """Common interface for data sets."""
    def __init__(self, root='../data', num_workers=4):
        self.save_hyperparameters()

    def get_dataloader(self, train):
        raise NotImplementedError

    def train_dataloader(self):
        return self.get_dataloader(train=True)

    def val_dataloader(self):
        return self.get_dataloader(train=False)

class SyntheticRegressionData(DataModule):
    """Linear-model data with Gaussian features and noise."""
    def __init__(self, w, b, noise=0.01, num_train=500, num_val=300, batch_size=25):
        super().__init__()
        self.save_hyperparameters()
        n = num_train + num_val
        self.X = torch.randn(n, len(w))
        noise = torch.randn(n, 1) * noise
        self.y = torch.matmul(self.X, w.reshape((-1, 1))) + b + noise

data = SyntheticRegressionData(w=torch.tensor([1.7, -0.6, 2.5]), b=-1.1)
print('features:', data.X[0].shape, '\nlabel:', data.y[0].shape)
print(sorted(data.hparams))

@add_to_class(SyntheticRegressionData)
def get_dataloader(self, train):
    if train:
        indices = list(range(0, self.num_train))
        # a fresh permutation each epoch
        random.shuffle(indices)
    else:
        indices = list(range(self.num_train, self.num_train + self.num_val))
    for i in range(0, len(indices), self.batch_size):
        batch_indices = torch.tensor(indices[i: i + self.batch_size])
        yield self.X[batch_indices], self.y[batch_indices]

X, y = next(iter(data.train_dataloader()))
print('X shape:', X.shape, '\ny shape:', y.shape)
print('training batches:', sum(1 for _ in data.train_dataloader()))

# the same thing with the built-in DataLoader
@add_to_class(DataModule)
def get_tensorloader(self, tensors, train, indices=slice(0, None)):
    tensors = tuple(a[indices] for a in tensors)
    dataset = torch.utils.data.TensorDataset(*tensors)
    return torch.utils.data.DataLoader(dataset, self.batch_size, shuffle=train)

@add_to_class(SyntheticRegressionData)
def get_dataloader(self, train):
    i = slice(0, self.num_train) if train else slice(self.num_train, None)
    return self.get_tensorloader((self.X, self.y), train, i)

print('validation batches:', len(data.val_dataloader()))
X, y = next(iter(data.val_dataloader()))
print('first validation batch is not shuffled:', bool(torch.equal(X, data.X[500:525])))
