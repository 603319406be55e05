#!/usr/bin/python3
"""gensim 4.2 word2vec peer for bench/word2vec.bench.ts: trains with word2vec.c's settings and scores the
vectors with the shared evaluator (run-gensim-baseline.py's `evaluate`, imported, so every tool is scored by
the same code).

    /usr/bin/python3 bench/gensim_word2vec.py CORPUS [--cbow] [--workers 1] [--iter 1] [--seed 1]
        [--decay words|examples] [--save vectors.txt] [--evaluator /work/shared/tools/run-gensim-baseline.py]

Learning-rate schedule (--decay): word2vec.c (and wordloom) decay alpha linearly with the number of *words*
processed. gensim decays it with the number of *sentences* processed whenever train() gets total_examples —
which is what Word2Vec(sentences=...) and run-gensim-baseline.py's `train` do. The two agree only when the
corpus lines have the same length everywhere; on the bench's default slice (20,000 IMDB reviews of ~250
words, then 57,000 Brown sentences of ~20 words) sentence-based decay keeps alpha near its start value for
~80% of the words: CBOW, one epoch, seed 1 measured 6.8% analogy / rho 0.219 with it and 4.7% / 0.115 with
word-based decay (and with the two parts swapped, 1.8% / -0.041 against 4.3% / 0.082). The default here is `words` (word2vec.c's schedule, the same as ours); `examples` reproduces
gensim's default.

Prints one line "RESULT {json}" last: in-vocabulary words/s (the same unit as wordloom's words/s), train
seconds, CPU seconds of the training (all threads), analogy accuracy (30,000 words) and WordSim-353 rho.
"""
import argparse
import importlib.util
import json
import os
import resource
import time


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("corpus")
    p.add_argument("--cbow", action="store_true")
    p.add_argument("--size", type=int, default=100)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--sample", type=float, default=1e-3)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--iter", type=int, default=1)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--alpha", type=float, default=None, help="default 0.025 skip-gram / 0.05 CBOW (word2vec.c)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--decay", choices=["words", "examples"], default="words",
                   help="learning-rate decay by words processed (word2vec.c) or by sentences (gensim's default)")
    p.add_argument("--save", default=None)
    p.add_argument("--evaluator", default="/work/shared/tools/run-gensim-baseline.py")
    a = p.parse_args()

    spec = importlib.util.spec_from_file_location("gensim_baseline", a.evaluator)
    ev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ev)

    import gensim
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence

    alpha = a.alpha if a.alpha is not None else (0.05 if a.cbow else 0.025)
    settings = dict(vector_size=a.size, window=a.window, negative=a.negative, hs=0, sample=a.sample,
                    min_count=a.min_count, epochs=a.iter, workers=a.workers, sg=0 if a.cbow else 1,
                    alpha=alpha, min_alpha=alpha * 1e-4, seed=a.seed, cbow_mean=1)
    t0 = time.time()
    model = Word2Vec(**settings)
    sentences = LineSentence(a.corpus)  # lines, split at 10,000 tokens
    model.build_vocab(sentences)
    build_s = time.time() - t0
    retained = sum(model.wv.get_vecattr(w, "count") for w in model.wv.index_to_key)
    c0, t1 = cpu_seconds(), time.time()
    if a.decay == "words":
        model.train(sentences, total_words=model.corpus_total_words, epochs=model.epochs)
    else:
        model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
    train_s = time.time() - t1
    train_cpu = cpu_seconds() - c0
    if a.save:
        model.wv.save_word2vec_format(a.save, binary=a.save.endswith(".bin"))
    res = {"tool": "gensim", "gensim_version": gensim.__version__, "arch": "cbow" if a.cbow else "skipgram",
           "settings": settings, "decay": a.decay, "vocab_size": len(model.wv),
           "corpus_tokens": int(model.corpus_total_words), "in_vocab_tokens": int(retained),
           "build_vocab_s": build_s, "train_s": train_s, "train_cpu_s": train_cpu,
           "in_vocab_words_per_s": retained * a.iter / train_s}
    q = ev.evaluate(model.wv, ev.default_eval_file("questions-words.txt"), ev.default_eval_file("wordsim353.tsv"), 30000)
    res.update(q)
    print("RESULT " + json.dumps(res))


if __name__ == "__main__":
    main()
