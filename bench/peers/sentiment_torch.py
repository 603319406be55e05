# PyTorch peer of bench/sentiment.bench.ts: the same sentiment classifier (Embedding → LSTM/GRU/RNN, 1 layer,
# optional bidirectional → pooling last/mean/max/attention → dropout → Linear → softmax-CE), Adam, global-norm clipping,
# trained on exactly the same padded batches (exported by the bench as JSON: time-major ids, lengths, labels),
# with the same hyperparameters and thread count. Padded steps are skipped with pack_padded_sequence (wordloom
# carries the state through padding: the same final states); config "pack": false runs the padded batch densely.
# Prints one JSON line: {"peer", "version", "threads", "secPerEpoch": [...] (wall), "cpuSecPerEpoch": [...] (process CPU time), "devAccuracy": [...]}.
# Usage: /usr/bin/python3 bench/peers/sentiment_torch.py --data /tmp/batches.json --epochs 2 --threads 1
import argparse, json, time, torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

ap = argparse.ArgumentParser()
ap.add_argument('--data', required=True)
ap.add_argument('--epochs', type=int, default=2)
ap.add_argument('--threads', type=int, default=1)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)

d = json.load(open(a.data))
cfg = d['config']
V, E, H, C = d['vocabSize'], cfg['embeddingDim'], cfg['hiddenSize'], d['numClasses']
bi = cfg['bidirectional']
cells = {'lstm': nn.LSTM, 'gru': nn.GRU, 'rnn': nn.RNN}


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, E, padding_idx=0)
        self.rnn = cells[cfg['cell']](E, H, num_layers=cfg['layers'], bidirectional=bi)
        self.drop = nn.Dropout(cfg['dropout'])
        self.out = nn.Linear(H * (2 if bi else 1), C)
        if cfg['pooling'] == 'attention':  # additive self-attention, as src/nn/pooling.ts
            self.attW = nn.Linear(H * (2 if bi else 1), cfg.get('attentionSize', 64))
            self.attv = nn.Linear(cfg.get('attentionSize', 64), 1, bias=False)
        if cfg['freeze']:
            self.emb.weight.requires_grad_(False)

    def forward(self, ids, lengths):
        x = self.drop(self.emb(ids)) if cfg.get('embeddingDropout', True) else self.emb(ids)
        if not cfg.get('pack', True):
            # Dense padded input (the IMDB case: packed LSTM backward is 5-10x slower here on long reviews). Not
            # the identical model: the backward direction reads the batch's few padded steps (length-bucketed
            # batches: ~1-2% padding); pooling still masks them.
            o, _ = self.rnn(x)
            lengths_ = lengths
            mask = (torch.arange(o.shape[0])[:, None] < lengths_[None, :]).unsqueeze(2)
            if cfg['pooling'] == 'mean':
                z = (o * mask).sum(0) / lengths_[:, None]
            elif cfg['pooling'] == 'attention':
                e = self.attv(torch.tanh(self.attW(o))).squeeze(2).masked_fill(~mask.squeeze(2), float('-inf'))
                z = (torch.softmax(e, 0).unsqueeze(2) * o).sum(0)
            else:
                z = o.masked_fill(~mask, -1e9).max(0).values
            return self.out(self.drop(z))
        packed = pack_padded_sequence(x, lengths, enforce_sorted=False)
        out, hN = self.rnn(packed)
        if cfg['pooling'] == 'last':
            h = hN[0] if isinstance(hN, tuple) else hN
            z = torch.cat([h[-2], h[-1]], dim=1) if bi else h[-1]
        else:
            o, _ = pad_packed_sequence(out)  # [T, B, H]
            mask = (torch.arange(o.shape[0])[:, None] < lengths[None, :]).unsqueeze(2)
            if cfg['pooling'] == 'mean':
                z = (o * mask).sum(0) / lengths[:, None]
            elif cfg['pooling'] == 'attention':
                e = self.attv(torch.tanh(self.attW(o))).squeeze(2).masked_fill(~mask.squeeze(2), float('-inf'))
                z = (torch.softmax(e, 0).unsqueeze(2) * o).sum(0)
            else:
                z = o.masked_fill(~mask, -1e9).max(0).values
        return self.out(self.drop(z))


def to_tensors(b):
    T, B = b['steps'], b['batch']
    ids = torch.tensor(b['ids'], dtype=torch.long).view(T, B)
    return ids, torch.tensor(b['lengths'], dtype=torch.long), torch.tensor(b['labels'], dtype=torch.long)


train = [to_tensors(b) for b in d['train']]
dev = [to_tensors(b) for b in d['dev']]
m = Model()
opt = torch.optim.Adam([p for p in m.parameters() if p.requires_grad], lr=cfg['lr'], weight_decay=cfg.get('weightDecay', 0))
lossf = nn.CrossEntropyLoss()
secs, cpus, accs = [], [], []
for ep in range(a.epochs):
    m.train()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for ids, lens, y in train:
        opt.zero_grad(set_to_none=False)
        loss = lossf(m(ids, lens), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), cfg['clip'])
        opt.step()
    secs.append(time.perf_counter() - t0)
    cpus.append(time.process_time() - c0)
    m.eval()
    correct = n = 0
    with torch.no_grad():
        for ids, lens, y in dev:
            correct += (m(ids, lens).argmax(1) == y).sum().item()
            n += len(y)
    accs.append(correct / n)
print(json.dumps({'peer': 'pytorch', 'version': torch.__version__, 'threads': torch.get_num_threads(),
                  'secPerEpoch': secs, 'cpuSecPerEpoch': cpus, 'devAccuracy': accs}))
