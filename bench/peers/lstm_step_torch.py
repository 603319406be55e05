# PyTorch peer of bench/lstm-step.bench.ts: one LSTM training step (forward + MSE loss on all outputs +
# backward + Adam) with torch.nn.LSTM on the CPU. Prints one JSON line: {"threads", "msPerStep": [...]}.
# Usage: /usr/bin/python3 bench/peers/lstm_step_torch.py --threads 1 --batch 64 --steps 100 --input 100 --hidden 128 --iters 10
import argparse, json, time, torch

ap = argparse.ArgumentParser()
ap.add_argument('--threads', type=int, default=1)
ap.add_argument('--batch', type=int, default=64)
ap.add_argument('--steps', type=int, default=100, help='sequence length T')
ap.add_argument('--input', type=int, default=100)
ap.add_argument('--hidden', type=int, default=128)
ap.add_argument('--iters', type=int, default=10, help='timed training steps')
ap.add_argument('--warmup', type=int, default=2)
a = ap.parse_args()

torch.set_num_threads(a.threads)
torch.manual_seed(1)
lstm = torch.nn.LSTM(a.input, a.hidden)  # time-major [T, B, d], gate order i,f,g,o
opt = torch.optim.Adam(lstm.parameters(), lr=1e-3)
x = torch.randn(a.steps, a.batch, a.input)
y = torch.randn(a.steps, a.batch, a.hidden)

def step():
    opt.zero_grad(set_to_none=False)
    out, _ = lstm(x)
    loss = torch.nn.functional.mse_loss(out, y)
    loss.backward()
    opt.step()
    return loss.item()

for _ in range(a.warmup):
    step()
times = []
for _ in range(a.iters):
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({'peer': 'pytorch', 'version': torch.__version__, 'threads': torch.get_num_threads(),
                  'mkldnn': torch.backends.mkldnn.is_available(), 'msPerStep': times}))
