# Runs `wordloom vectors …` from this checkout's TypeScript sources for the Python comparison scripts
# (check-gensim-formats.py, compare-gensim-eval.py); exits with the command and its stderr on failure.
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def wordloom_vectors(*args):
    """stdout of `wordloom vectors <args>`."""
    cmd = ["node", "--import", "tsx", os.path.join(ROOT, "src", "cli", "main.ts"), "vectors", *args]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("wordloom failed: %s\n%s" % (" ".join(cmd), out.stderr))
    return out.stdout
