#!/usr/bin/python3
"""Compare wordloom's vector evaluation with gensim's on the same vectors, question by question.

  /usr/bin/python3 bench/compare-gensim-eval.py [--vectors data/glove-subset/glove.6B.50d.top2446.txt]
      [--questions data/eval/google-analogy/questions-words.txt] [--pairs FILE ...] [--restrict 30000]

gensim side: KeyedVectors.load_word2vec_format (no_header for GloVe text, binary for word2vec binary),
evaluate_word_analogies(restrict_vocab, case_insensitive=True) — and, for 3CosMul, the same function with
most_similar swapped for most_similar_cosmul (valid when the whole vocabulary is inside the restriction,
because gensim 4.2's most_similar_cosmul ignores restrict_vocab) — and evaluate_word_pairs (delimiter ','
for .csv, tab otherwise).
wordloom side: `wordloom vectors eval-analogy --json --details` and `eval-similarity --json --details`
(run through tsx from this checkout).

Checks: identical per-section correct/incorrect question sets and OOV counts; Spearman rho and Pearson r
within 1e-6; identical OOV ratios. Prints a report; exits 1 on any mismatch. Last line: "RESULT {json}".
"""
import argparse
import json
import os
import sys

from wordloom_cli import ROOT, wordloom_vectors

def wordloom(*args):
    return json.loads(wordloom_vectors(*args))


def detect(path):
    with open(path, "rb") as f:
        head = f.read(4096)
    first = head.split(b"\n", 1)[0].split()
    has_header = len(first) == 2 and all(x.isdigit() for x in first)
    binary = False
    if has_header:
        rest = head.split(b"\n", 1)[1] if b"\n" in head else b""
        try:
            line = rest.split(b"\n", 1)[0].decode("utf8")
            float(line.split()[1])
        except Exception:
            binary = True
    return has_header, binary


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--vectors", default=os.path.join(ROOT, "data", "glove-subset", "glove.6B.50d.top2446.txt"))
    p.add_argument("--questions", default=os.path.join(ROOT, "data", "eval", "google-analogy", "questions-words.txt"))
    p.add_argument("--pairs", nargs="*", default=[os.path.join(ROOT, "data", "eval", "wordsim353", f)
                                                  for f in ("combined.tab", "combined.csv", "similarity.tab", "relatedness.tab")])
    p.add_argument("--restrict", type=int, default=30000)
    a = p.parse_args()

    from gensim.models import KeyedVectors
    import gensim
    has_header, binary = detect(a.vectors)
    kv = KeyedVectors.load_word2vec_format(a.vectors, binary=binary, no_header=not has_header)
    report = {"gensim": gensim.__version__, "vectors": a.vectors, "words": len(kv), "dim": kv.vector_size,
              "restrict": a.restrict, "checks": []}
    ok_all = True

    def check(name, ok, detail):
        nonlocal ok_all
        ok_all = ok_all and ok
        report["checks"].append({"check": name, "ok": ok, "detail": detail})
        print("%-4s %s: %s" % ("OK" if ok else "FAIL", name, detail))

    methods = ["3cosadd"]
    if len(kv) <= a.restrict:
        methods.append("3cosmul")
    for method in methods:
        if method == "3cosmul":
            orig = kv.most_similar
            kv.most_similar = lambda positive=None, negative=None, topn=10, restrict_vocab=None: \
                kv.most_similar_cosmul(positive=positive, negative=negative, topn=topn)
        score, sections = kv.evaluate_word_analogies(a.questions, restrict_vocab=a.restrict, case_insensitive=True)
        if method == "3cosmul":
            kv.most_similar = orig
        ours = wordloom("eval-analogy", "--vectors", a.vectors, "--questions", a.questions,
                        "--restrict-vocab", str(a.restrict), "--method", method, "--json", "--details")
        g_secs = [s for s in sections if s["section"] != "Total accuracy"]
        mism = []
        for gs, ws in zip(g_secs, ours["sections"]):
            gc = sorted(tuple(q) for q in gs["correct"])
            wc = sorted((q["a"], q["b"], q["c"], q["expected"]) for q in ws["correctItems"])
            gi = sorted(tuple(q) for q in gs["incorrect"])
            wi = sorted((q["a"], q["b"], q["c"], q["expected"]) for q in ws["incorrectItems"])
            if gs["section"] != ws["section"] or gc != wc or gi != wi:
                diff = sorted(set(gc) ^ set(wc))
                mism.append({"section": gs["section"], "gensim": [len(gc), len(gi)], "wordloom": [len(wc), len(wi)],
                             "differing": diff[:10]})
        if len(g_secs) != len(ours["sections"]):
            mism.append({"sections": [len(g_secs), len(ours["sections"])]})
        tot = sections[-1]
        g_correct, g_seen = len(tot["correct"]), len(tot["correct"]) + len(tot["incorrect"])
        check("analogy %s per-question" % method, not mism,
              "gensim %d/%d = %.6f, wordloom %d/%d = %.6f%s" % (
                  g_correct, g_seen, score, ours["total"]["correct"], ours["total"]["seen"], ours["score"],
                  "" if not mism else "; mismatches: %s" % json.dumps(mism)[:2000]))
        g_total_q = sum(1 for line in open(a.questions, encoding="utf8") if line.strip() and not line.startswith(":"))
        g_oov = g_total_q - g_seen
        check("analogy %s OOV questions" % method, g_oov == ours["oov"] and g_total_q == ours["questions"],
              "gensim %d of %d, wordloom %d of %d" % (g_oov, g_total_q, ours["oov"], ours["questions"]))
        report["analogy_" + method] = {"gensim": [g_correct, g_seen, float(score)],
                                        "wordloom": [ours["total"]["correct"], ours["total"]["seen"], ours["score"]]}

    ours = wordloom("eval-similarity", "--vectors", a.vectors, "--pairs", *a.pairs, "--json")
    for f, r in zip(a.pairs, ours["results"]):
        delim = "," if f.endswith(".csv") else "\t"
        pear, spear, oov = kv.evaluate_word_pairs(f, delimiter=delim, case_insensitive=True)
        d_rho = abs(float(spear[0]) - r["spearman"]["rho"])
        d_r = abs(float(pear[0]) - r["pearson"]["r"])
        ok = d_rho <= 1e-6 and d_r <= 1e-6 and abs(float(oov) - r["oovRatio"]) < 1e-9
        check("pairs %s" % os.path.basename(f), ok,
              "rho gensim %.9f wordloom %.9f (|d| %.1e); r gensim %.9f wordloom %.9f (|d| %.1e); "
              "p gensim %.3e wordloom %.3e; OOV %% gensim %.4f wordloom %.4f" % (
                  spear[0], r["spearman"]["rho"], d_rho, pear[0], r["pearson"]["r"], d_r,
                  spear[1], r["spearman"]["pValue"], oov, r["oovRatio"]))
    report["ok"] = ok_all
    print("RESULT " + json.dumps(report))
    sys.exit(0 if ok_all else 1)


if __name__ == "__main__":
    main()
