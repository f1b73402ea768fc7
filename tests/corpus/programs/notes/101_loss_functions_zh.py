# title: PyTorch 损失函数笔记：NLLLoss 权重、BCEWithLogitsLoss pos_weight、SmoothL1、Huber、KLDiv、MarginRanking
# expect: match
import torch
import torch.nn as nn
import torch.nn.functional as F

inputs = torch.tensor([[1, 2], [1, 3], [1, 3]], dtype=torch.float)
target = torch.tensor([0, 1, 1], dtype=torch.long)

weights = torch.tensor([1, 2], dtype=torch.float)
loss_f_none_w = nn.NLLLoss(weight=weights, reduction='none')
loss_f_sum = nn.NLLLoss(reduction='sum')
loss_f_mean = nn.NLLLoss(reduction='mean')
print("NLL Loss", loss_f_none_w(inputs, target), loss_f_sum(inputs, target), loss_f_mean(inputs, target))

logits = torch.tensor([[1, 2], [2, 2], [3, 4], [4, 5]], dtype=torch.float, requires_grad=True)
target_bce = torch.tensor([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=torch.float)
pos_w = torch.tensor([3.], dtype=torch.float)
loss_f_bcewl = nn.BCEWithLogitsLoss(reduction='none', pos_weight=pos_w)
loss_bcewl = loss_f_bcewl(logits, target_bce)
print("\npos_weights: ", pos_w, loss_bcewl)
loss_bcewl.mean().backward()
print("logits 的梯度:", logits.grad)

x = torch.linspace(-3, 3, steps=7)
zeros = torch.zeros_like(x)
for beta in [0.5, 1.0, 2.0]:
    l_smooth = nn.SmoothL1Loss(reduction='none', beta=beta)(x, zeros)
    print(f"beta={beta} 的 SmoothL1:", l_smooth)
print("Huber:", nn.HuberLoss(delta=1.5)(x, zeros))
print("L1:", nn.L1Loss()(x, zeros), F.l1_loss(x, zeros, reduction='sum'))

p_log = F.log_softmax(torch.tensor([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]]), dim=1)
q = torch.tensor([[0.9, 0.05, 0.05], [0.1, 0.7, 0.2]])
print("KLDiv batchmean:", nn.KLDivLoss(reduction='batchmean')(p_log, q))
x1 = torch.tensor([1, 2, 3], dtype=torch.float)
x2 = torch.tensor([2, 2, 2], dtype=torch.float)
t = torch.tensor([1, 1, -1], dtype=torch.float)
print("MarginRanking:", nn.MarginRankingLoss(margin=0, reduction='none')(x1, x2, t))
print("SoftMargin:", nn.SoftMarginLoss()(x1, t), "CosineEmbedding:", nn.CosineEmbeddingLoss()(inputs[:2], inputs[1:], torch.tensor([1, -1])))
ce = nn.CrossEntropyLoss(label_smoothing=0.1, ignore_index=1)
print("CE 标签平滑:", ce(inputs, target))
print("PoissonNLL:", nn.PoissonNLLLoss()(inputs, inputs + 1))
