#!/usr/bin/python3
"""gensim peer for bench/vectors.bench.ts (gensim 4.2 KeyedVectors, numpy BLAS). Prints one JSON line.

  vectors_peer.py load-text FILE [--no-header]     time KeyedVectors.load_word2vec_format(FILE, no_header=...)
  vectors_peer.py load-bin FILE                    time load_word2vec_format(FILE, binary=True)
  vectors_peer.py query WLV WORD... [--topn 10] [--repeat 3]
                                                   read a wordloom .wlv with numpy, then time most_similar per word
                                                   (norms precomputed first, like wordloom's cached unit vectors)
"""
import json
import struct
import sys
import time

import numpy as np


def read_native(path):
    with open(path, "rb") as f:
        data = f.read()
    version, vocab, dim, flags = struct.unpack_from("<IIII", data, 8)
    (wb,) = struct.unpack_from("<Q", data, 24)
    words = data[32:32 + wb].decode("utf8").split("\n")[:-1]
    off = (32 + wb + 63) // 64 * 64
    return words, np.frombuffer(data, dtype="<f4", count=vocab * dim, offset=off).reshape(vocab, dim)


def main():
    from gensim.models import KeyedVectors
    import gensim
    mode, path = sys.argv[1], sys.argv[2]
    args = sys.argv[3:]
    out = {"gensim": gensim.__version__, "numpy": np.__version__}
    if mode in ("load-text", "load-bin"):
        t = time.perf_counter()
        kv = KeyedVectors.load_word2vec_format(path, binary=mode == "load-bin", no_header="--no-header" in args)
        out.update(seconds=time.perf_counter() - t, words=len(kv), dim=kv.vector_size,
                   checksum=float(np.float64(kv.vectors[:1000]).sum()))
    elif mode == "query":
        topn = int(args[args.index("--topn") + 1]) if "--topn" in args else 10
        repeat = int(args[args.index("--repeat") + 1]) if "--repeat" in args else 3
        words = [a for i, a in enumerate(args) if not a.startswith("--") and (i == 0 or args[i - 1] not in ("--topn", "--repeat"))]
        names, mat = read_native(path)
        kv = KeyedVectors(mat.shape[1], count=0, dtype=np.float32)
        kv.add_vectors(names, np.array(mat))
        kv.fill_norms()
        kv.most_similar(positive=[words[0]], topn=topn)  # warm-up
        best = []
        results = {}
        for w in words:
            ts = []
            for _ in range(repeat):
                t = time.perf_counter()
                r = kv.most_similar(positive=[w], topn=topn)
                ts.append(time.perf_counter() - t)
            best.append(min(ts))
            results[w] = [x[0] for x in r]
        out.update(ms_per_query=1000 * sum(best) / len(best), queries=len(words), results=results)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
