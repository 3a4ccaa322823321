#!/usr/bin/python3
"""rnnlab against PyTorch on the CPU, side by side, in one run on one machine.

For each configuration (m, T, n_x, n_a) of the performance issue and each cell (RNN, GRU, LSTM):
one forward + backward of a one-layer torch.nn module over the whole sequence in float64 with 2 threads
(loss: sum of the outputs, as in the issue's reference numbers), the median of repeated runs; then
`./rnnlab bench --cell C --batch M --steps T --input NX --hidden NA --backward --json --threads 2 --path fused`
for each of the same configurations, each in a JVM of its own (as JMH forks: in one JVM the code compiled
for one cell, with that cell's profile, serves the next one, and the GRU after the RNN sometimes ran at
two thirds of its speed); then a table of the two and their ratio.
Also the machine's float64 matrix-multiply rate (numpy, n = 1024).

Needs Debian's python3-torch (apt-get install -y python3-torch libopenblas0-pthread); not used by tests.

    /usr/bin/python3 benchmarks/pytorch/compare.py [--seconds 2] [--threads 2] [--path fused|cells]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import torch

CONFIGS = [("course", 1, 25, 27, 100), ("small", 32, 50, 64, 128), ("medium", 64, 100, 256, 256), ("large", 64, 50, 512, 512)]


def median_ms(fn, seconds):
    for _ in range(3):
        fn()
    times = []
    end = time.perf_counter() + seconds
    while len(times) < 5 or time.perf_counter() < end:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def torch_ms(cell, m, T, nx, na, seconds):
    net = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[cell](nx, na).double()
    x = torch.randn(T, m, nx, dtype=torch.float64, requires_grad=True)

    def step():
        net.zero_grad()
        x.grad = None
        net(x)[0].sum().backward()

    return median_ms(step, seconds)


def numpy_gflops():
    a = np.random.rand(1024, 1024)
    b = np.random.rand(1024, 1024)
    ms = median_ms(lambda: a @ b, 2)
    return 2 * 1024 ** 3 / (ms * 1e6)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=2)
    ap.add_argument("--threads", type=int, default=2, help="threads for both PyTorch and rnnlab (default 2)")
    ap.add_argument("--path", default="fused", choices=("fused", "cells"), help="rnnlab's path: fused (default) or cells")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    print("numpy float64 matmul (n = 1024): %.1f GFLOP/s" % numpy_gflops())
    theirs = {}
    for name, m, T, nx, na in CONFIGS:
        for cell in ("rnn", "gru", "lstm"):
            theirs[(name, cell)] = torch_ms(cell, m, T, nx, na, args.seconds)
    ours = {}
    for name, m, T, nx, na in CONFIGS:
        for cell in ("rnn", "gru", "lstm"):
            cmd = [os.path.join(root, "rnnlab"), "bench", "--cell", cell, "--batch", str(m), "--steps", str(T),
                   "--input", str(nx), "--hidden", str(na), "--backward", "--json",
                   "--seconds", str(args.seconds), "--threads", str(args.threads), "--path", args.path]
            run = subprocess.run(cmd, capture_output=True, text=True)
            if run.returncode != 0:
                sys.exit("compare.py: rnnlab bench failed for the %s %s configuration (exit %d):\n  %s\n%s"
                         % (name, cell, run.returncode, " ".join(cmd), run.stderr.strip()))
            ours[(name, cell)] = json.loads(run.stdout.strip().splitlines()[-1])
    # with --threads 2 rnnlab also reports how long its two cores took to hand a value back and forth just
    # after the timing (a round trip; slow when the host has put the vCPUs far apart, see docs/benchmarks.md)
    print("%-7s %-5s %12s %12s %9s %9s %9s" % ("config", "cell", "torch ms", "rnnlab ms", "speed-up", "GFLOP/s", "rt ns"))
    for name, m, T, nx, na in CONFIGS:
        for cell in ("rnn", "gru", "lstm"):
            t = theirs[(name, cell)]
            r = ours[(name, cell)]
            print("%-7s %-5s %12.3f %12.3f %8.2fx %9.2f %9s" % (name, cell, t, r["ms"], t / r["ms"], r["gflops"],
                                                               r.get("roundTripNs", "-")))


if __name__ == "__main__":
    main()
