# title: Datasets & DataLoaders: a custom in-memory Dataset with transforms, iterated in batches
# expect: match

import torch
from torch.utils.data import Dataset, DataLoader

labels_map = {
    0: "T-Shirt", 1: "Trouser", 2: "Pullover", 3: "Dress", 4: "Coat",
    5: "Sandal", 6: "Shirt", 7: "Sneaker", 8: "Bag", 9: "Ankle Boot",
}


class InMemoryImageDataset(Dataset):
    """Images kept as uint8 tensors, like pixels read from disk."""

    def __init__(self, n_images, transform=None, target_transform=None):
        self.images = torch.randint(0, 256, (n_images, 28, 28), dtype=torch.uint8)
        self.img_labels = torch.randint(0, 10, (n_images,)).tolist()
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.img_labels)

    def __getitem__(self, idx):
        image = self.images[idx].unsqueeze(0)
        label = self.img_labels[idx]
        if self.transform:
            image = self.transform(image)
        if self.target_transform:
            label = self.target_transform(label)
        return image, label


def to_float(img):
    # uint8 pixels in [0, 255] -> float in [0, 1]
    return img.float() / 255.0


def one_hot(label):
    return torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(label), value=1)


training_data = InMemoryImageDataset(300, transform=to_float)
print(len(training_data))

# look at a few random samples, the way the tutorial draws a 3x3 grid
for i in range(1, 4):
    sample_idx = torch.randint(len(training_data), size=(1,)).item()
    img, label = training_data[sample_idx]
    print(sample_idx, labels_map[label], tuple(img.shape), round(img.mean().item(), 4))

train_dataloader = DataLoader(training_data, batch_size=64, shuffle=True)
train_features, train_labels = next(iter(train_dataloader))
print(f"Feature batch shape: {train_features.size()}")
print(f"Labels batch shape: {train_labels.size()}")
img = train_features[0].squeeze()
label = train_labels[0]
print(img.shape, f"Label: {label}")

# one full pass: the last batch is smaller
sizes = [len(labels) for _, labels in train_dataloader]
print(sizes)

# the same data with a target transform that one-hot encodes the label
ds = InMemoryImageDataset(8, transform=to_float, target_transform=one_hot)
x0, y0 = ds[0]
print(y0)
loader = DataLoader(ds, batch_size=4, shuffle=False, drop_last=True)
for xb, yb in loader:
    print(xb.dtype, xb.shape, yb.shape, yb.sum().item())
