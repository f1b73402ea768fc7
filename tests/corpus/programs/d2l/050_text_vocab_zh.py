# title: 文本预处理与语言模型数据集：词表、随机采样和顺序分区（内存中的文本）
# expect: match

import collections
import random
import re
import torch

# 用一段内存中的文本代替下载的《时间机器》
raw = """The Time Traveller (for so it will be convenient to speak of him)
was expounding a recondite matter to us. His grey eyes shone and
twinkled, and his usually pale face was flushed and animated."""

lines = [re.sub('[^A-Za-z]+', ' ', line).strip().lower() for line in raw.split('\n')]
print(f'共有{len(lines)}行文本')
print(lines[0])

def tokenize(lines, token='word'):
    """按单词或按字符切分每一行"""
    if token == 'word':
        return [line.split() for line in lines]
    elif token == 'char':
        return [list(line) for line in lines]
    print('不支持的切分方式：' + token)

tokens = tokenize(lines)

def count_corpus(tokens):
    """数一数每个词元出现了几次"""
    # tokens是一维或二维列表
    if len(tokens) == 0 or isinstance(tokens[0], list):
        # 把二维列表展平成一维
        tokens = [token for line in tokens for token in line]
    return collections.Counter(tokens)

class Vocab:
    """词元与整数下标之间的双向映射"""
    def __init__(self, tokens=None, min_freq=0, reserved_tokens=None):
        tokens = tokens or []
        reserved_tokens = reserved_tokens or []
        # 按出现频率从高到低排序
        counter = count_corpus(tokens)
        self._token_freqs = sorted(counter.items(), key=lambda x: x[1],
                                   reverse=True)
        # 下标0留给未知词元<unk>
        self.idx_to_token = ['<unk>'] + reserved_tokens
        self.token_to_idx = {token: idx
                             for idx, token in enumerate(self.idx_to_token)}
        for token, freq in self._token_freqs:
            if freq < min_freq:
                break
            if token not in self.token_to_idx:
                self.idx_to_token.append(token)
                self.token_to_idx[token] = len(self.idx_to_token) - 1

    def __len__(self):
        return len(self.idx_to_token)

    def __getitem__(self, tokens):
        if not isinstance(tokens, (list, tuple)):
            return self.token_to_idx.get(tokens, self.unk)
        return [self.__getitem__(token) for token in tokens]

    def to_tokens(self, indices):
        if not isinstance(indices, (list, tuple)):
            return self.idx_to_token[indices]
        return [self.idx_to_token[index] for index in indices]

    @property
    def unk(self):  # <unk>的下标
        return 0

vocab = Vocab(tokens)
print(list(vocab.token_to_idx.items())[:6])
print('词元:', tokens[2])
print('下标:', vocab[tokens[2]])
print('还原:', vocab.to_tokens(vocab[tokens[2]][:4]))
print('最常见的词:', vocab._token_freqs[:3])

# 按字符切分，构造字符级语料
char_tokens = tokenize(lines, 'char')
char_vocab = Vocab(char_tokens)
corpus = [char_vocab[token] for line in char_tokens for token in line]
print(len(corpus), len(char_vocab))

def seq_data_iter_random(corpus, batch_size, num_steps):
    """随机抽样：相邻批次的子序列在原文中不一定相邻"""
    # 随机丢掉开头几个词元，让每轮的切分位置不同
    corpus = corpus[random.randint(0, num_steps - 1):]
    num_subseqs = (len(corpus) - 1) // num_steps
    initial_indices = list(range(0, num_subseqs * num_steps, num_steps))
    random.shuffle(initial_indices)

    def data(pos):
        return corpus[pos: pos + num_steps]
    num_batches = num_subseqs // batch_size
    for i in range(0, batch_size * num_batches, batch_size):
        initial_indices_per_batch = initial_indices[i: i + batch_size]
        X = [data(j) for j in initial_indices_per_batch]
        Y = [data(j + 1) for j in initial_indices_per_batch]
        yield torch.tensor(X), torch.tensor(Y)

def seq_data_iter_sequential(corpus, batch_size, num_steps):
    """顺序分区：相邻批次的子序列在原文中首尾相接"""
    offset = random.randint(0, num_steps)
    num_tokens = ((len(corpus) - offset - 1) // batch_size) * batch_size
    Xs = torch.tensor(corpus[offset: offset + num_tokens])
    Ys = torch.tensor(corpus[offset + 1: offset + 1 + num_tokens])
    Xs, Ys = Xs.reshape(batch_size, -1), Ys.reshape(batch_size, -1)
    num_batches = Xs.shape[1] // num_steps
    for i in range(0, num_steps * num_batches, num_steps):
        X = Xs[:, i: i + num_steps]
        Y = Ys[:, i: i + num_steps]
        yield X, Y

my_seq = list(range(30))
for X, Y in seq_data_iter_random(my_seq, batch_size=2, num_steps=4):
    print('X: ', X, '\nY:', Y)
for X, Y in seq_data_iter_sequential(my_seq, batch_size=2, num_steps=4):
    print('X: ', X, '\nY:', Y)
