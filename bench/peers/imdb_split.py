# Plain-file IMDB splits for sentiment experiments: <out>/{train,dev,test}.jsonl from <src>/{train,test}.jsonl.gz
# (the layout of data/imdb): dev = a seeded 10% of the official train (random.Random(1)), test = the official test
# (shuffled with random.Random(2)); plus <out>-5k/ with the first 5,000 train, 1,000 dev and 2,500 test reviews
# for cheap option comparisons. Lines are copied unchanged ({"id","rating","label","text"}).
# Usage: /usr/bin/python3 bench/peers/imdb_split.py [src=data/imdb] [out=/tmp/imdb-bin]
import gzip, os, random, sys

src = sys.argv[1] if len(sys.argv) > 1 else 'data/imdb'
out = sys.argv[2] if len(sys.argv) > 2 else '/tmp/imdb-bin'
train = [l for l in gzip.open(f'{src}/train.jsonl.gz', 'rt', encoding='utf-8')]
test = [l for l in gzip.open(f'{src}/test.jsonl.gz', 'rt', encoding='utf-8')]
idx = list(range(len(train)))
random.Random(1).shuffle(idx)
ndev = len(train) // 10
dev = [train[i] for i in idx[:ndev]]
tr = [train[i] for i in idx[ndev:]]
te = list(test)
random.Random(2).shuffle(te)


def write(d, name, xs):
    os.makedirs(d, exist_ok=True)
    with open(f'{d}/{name}.jsonl', 'w', encoding='utf-8') as f:
        f.writelines(x if x.endswith('\n') else x + '\n' for x in xs)


for name, xs in (('train', tr), ('dev', dev), ('test', te)):
    write(out, name, xs)
for name, xs in (('train', tr[:5000]), ('dev', dev[:1000]), ('test', te[:2500])):
    write(out.rstrip('/') + '-5k', name, xs)
print(len(tr), len(dev), len(te))
