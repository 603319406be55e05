#!/usr/bin/python3
"""Check that gensim reads the files wordloom writes (and vice versa) and gets the same vectors.

  /usr/bin/python3 bench/check-gensim-formats.py [--vectors data/glove-subset/glove.6B.50d.top2446.txt] [--tmp DIR]

1. gensim loads the source file (reference vectors).
2. `wordloom vectors convert` writes it as glove, word2vec text, fasttext .vec, word2vec binary (with and
   without the newline after each vector) and the native .wlv format.
3. gensim loads each text/binary output (no_header for GloVe, binary=True for .bin); the native file is read
   here with numpy from its documented layout. Words must match in order and every float32 bit for bit.
4. gensim writes word2vec text and binary; wordloom converts those to .wlv; numpy reads them: bit-identical.
Exits 1 on any mismatch; the last line is "RESULT {json}".
"""
import argparse
import json
import os
import shutil
import struct
import sys

from wordloom_cli import ROOT, wordloom_vectors
import tempfile

import numpy as np

def wordloom(*args):
    return wordloom_vectors(*args)


def read_native(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"WLVEC\x00\r\n", "bad magic"
    version, vocab, dim, flags = struct.unpack_from("<IIII", data, 8)
    (words_bytes,) = struct.unpack_from("<Q", data, 24)
    assert version == 1
    words = data[32:32 + words_bytes].decode("utf8").split("\n")
    assert words.pop() == ""
    off = (32 + words_bytes + 63) // 64 * 64
    mat = np.frombuffer(data, dtype="<f4", count=vocab * dim, offset=off).reshape(vocab, dim)
    assert len(data) == off + vocab * dim * 4
    return words, mat


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--vectors", default=os.path.join(ROOT, "data", "glove-subset", "glove.6B.50d.top2446.txt"))
    p.add_argument("--no-header", action="store_true", default=None, help="source is GloVe text (default: detected)")
    p.add_argument("--tmp", default=None)
    a = p.parse_args()
    from gensim.models import KeyedVectors
    import gensim

    with open(a.vectors, "rb") as f:
        first = f.readline().split()
    no_header = a.no_header if a.no_header is not None else not (len(first) == 2 and all(x.isdigit() for x in first))
    ref = KeyedVectors.load_word2vec_format(a.vectors, no_header=no_header)
    tmp = a.tmp or tempfile.mkdtemp(prefix="wordloom-formats-")
    checks, ok_all = [], True

    def same(name, words, mat):
        nonlocal ok_all
        ok = list(words) == list(ref.index_to_key) and mat.shape == ref.vectors.shape and \
            np.array_equal(mat.view(np.uint32), ref.vectors.astype(np.float32).view(np.uint32))
        ok_all = ok_all and ok
        checks.append({"check": name, "ok": ok})
        print("%-4s %s (%d x %d)" % ("OK" if ok else "FAIL", name, mat.shape[0], mat.shape[1]))

    outs = [("glove", "out.glove.txt", dict(no_header=True)), ("word2vec", "out.w2v.txt", {}),
            ("fasttext", "out.vec", {}), ("word2vec-binary", "out.bin", dict(binary=True)),
            ("word2vec-binary", "out.nonl.bin", dict(binary=True))]
    for fmt, name, kw in outs:
        path = os.path.join(tmp, name)
        extra = ["--newline", "0"] if "nonl" in name else []
        wordloom("convert", "--vectors", a.vectors, "--output", path, "--to", fmt, "--force", *extra)
        kv = KeyedVectors.load_word2vec_format(path, **kw)
        same("gensim reads wordloom %s (%s)" % (fmt, name), kv.index_to_key, kv.vectors)
    path = os.path.join(tmp, "out.wlv")
    wordloom("convert", "--vectors", a.vectors, "--output", path, "--force")
    same("numpy reads wordloom native .wlv", *read_native(path))

    for binary, name in ((False, "gensim.txt"), (True, "gensim.bin")):
        gpath = os.path.join(tmp, name)
        ref.save_word2vec_format(gpath, binary=binary)
        wpath = gpath + ".wlv"
        wordloom("convert", "--vectors", gpath, "--output", wpath, "--force")
        same("wordloom reads gensim-written %s" % ("binary" if binary else "text"), *read_native(wpath))
    if not a.tmp:
        shutil.rmtree(tmp)
    print("RESULT " + json.dumps({"gensim": gensim.__version__, "vectors": a.vectors, "ok": ok_all, "checks": checks}))
    sys.exit(0 if ok_all else 1)


if __name__ == "__main__":
    main()
