#!/usr/bin/env python3
"""rnnlab beside PyTorch (float64 and float32) and Deeplearning4j on the CPU, in one run on one machine.

For each configuration (m, T, n_x, n_a) and cell (RNN, GRU, LSTM), on 1 and on 2 threads, one after another:
  - rnnlab: `./rnnlab bench --cell C --batch M --steps T --input NX --hidden NA --backward --json --threads N`
    (float64, the fused path), in a JVM of its own;
  - PyTorch: a one-layer torch.nn.RNN/GRU/LSTM, forward + backward, loss = the sum of the outputs, in float64
    and in float32, each in a Python process of its own (so its peak resident set is its own);
  - Deeplearning4j (when built: mvn -B -ntp -Ppeers -pl benchmarks -am package -DskipTests): its LSTM and
    SimpleRnn (it has no GRU) in float64 and float32, each in a JVM of its own (org.rnnlab.bench.peers.Dl4jPeer).
Every side is timed by the same rule: blocks of passes until the medians of three blocks in a row agree within
5% (at most --max-warmup seconds), then the median of the passes of --seconds. Before each configuration the
machine's float64 matrix-multiply rate (n = 1024, numpy and torch, the faster) is measured on 1 and 2 threads.

Time: with one thread, the CPU time of the calling thread (the work's own time: other programs on a busy
machine do not lengthen it); with two, the time by the clock. GFLOP/s counts 2*G*n_a*(n_a + n_x)*m per step
forward (G = 1 RNN, 3 GRU, 4 LSTM), three times that for forward + backward, for every side alike.
Memory: rnnlab's live heap after the passes (the layer, its data, the JVM's classes) and every side's peak
resident set (getrusage / VmHWM), in MiB.

Set up PyTorch 2.13 once (a virtual environment under benchmarks/target), then run:

    bash benchmarks/pytorch/setup-venv.sh
    benchmarks/target/pytorch-venv/bin/python benchmarks/pytorch/compare.py [--threads 1,2] [--configs course,large]

Debian's PyTorch 1.13 (apt-get install python3-torch) works too: /usr/bin/python3 benchmarks/pytorch/compare.py.
The JVM sides (rnnlab and DL4J) run on $JAVA_HOME/bin/java when JAVA_HOME is set, else on java from the PATH;
from JDK 25 on, rnnlab's GEMM takes 512-bit register tiles where the machine has them (see docs/benchmarks.md):
    JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/target/pytorch-venv/bin/python benchmarks/pytorch/compare.py
Prints the tables in Markdown and writes every measurement to benchmarks/target/compare.json. Not used by tests.
"""
import argparse
import glob
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

CONFIGS = [("course", 1, 25, 27, 100), ("small", 32, 50, 64, 128), ("medium", 64, 100, 256, 256),
           ("large", 64, 50, 512, 512)]
CELLS = ("rnn", "gru", "lstm")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MIB = 1024.0 * 1024.0


def flops(cell, m, T, nx, na):
    gates = {"rnn": 1, "gru": 3, "lstm": 4}[cell]
    return 3 * 2.0 * gates * na * (na + nx) * m * T


def timed(fn, seconds, max_warmup, min_repeats=5):
    """The rule of rnnlab bench: warm-up blocks until three medians agree within 5%, then the median pass."""
    block = max(0.05, min(0.5, seconds / 4))
    start = time.perf_counter()
    last, agreed = None, 0
    while True:
        runs = []
        end = time.perf_counter() + block
        while len(runs) < 3 or time.perf_counter() < end:
            t0 = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t0)
        med = statistics.median(runs)
        if last is not None:
            agreed = agreed + 1 if abs(med - last) / min(med, last) <= 0.05 else 0
        last = med
        if agreed >= 2 or time.perf_counter() - start >= max_warmup:
            break
    settled = agreed >= 2
    wall, cpu = [], []
    end = time.perf_counter() + seconds
    while len(wall) < min_repeats or time.perf_counter() < end:
        c0 = time.thread_time()
        t0 = time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.thread_time() - c0) * 1e3)
    return {"ms": statistics.median(wall), "cpuMs": statistics.median(cpu), "repeats": len(wall),
            "warmupSettled": settled}


def peak_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


def torch_one(cell, m, T, nx, na, dtype, threads, seconds, max_warmup):
    """One PyTorch configuration in this process; prints its JSON line."""
    import torch
    torch.set_num_threads(threads)
    base = peak_rss()
    dt = {"float64": torch.float64, "float32": torch.float32}[dtype]
    torch.manual_seed(1)
    net = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[cell](nx, na).to(dt)
    x = torch.randn(T, m, nx, dtype=dt, requires_grad=True)

    def step():
        net.zero_grad()
        x.grad = None
        net(x)[0].sum().backward()

    r = timed(step, seconds, max_warmup)
    r.update({"peakRssBytes": peak_rss(), "baseRssBytes": base, "torch": torch.__version__,
              "mkldnn": bool(torch.backends.mkldnn.is_available())})
    print(json.dumps(r))


def dgemm_one(threads, seconds):
    """float64 n = 1024 matrix multiply with numpy and with torch on `threads` threads; prints JSON."""
    import numpy as np
    import torch
    torch.set_num_threads(threads)
    n = 1024
    out = {}
    a = np.random.default_rng(1).random((n, n))
    b = np.random.default_rng(2).random((n, n))
    r = timed(lambda: a @ b, seconds, 10)
    out["numpy"] = {"gflops": 2 * n ** 3 / (r["ms"] * 1e6), "cpuGflops": 2 * n ** 3 / (r["cpuMs"] * 1e6)}
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    r = timed(lambda: torch.mm(ta, tb), seconds, 10)
    out["torch"] = {"gflops": 2 * n ** 3 / (r["ms"] * 1e6), "cpuGflops": 2 * n ** 3 / (r["cpuMs"] * 1e6)}
    print(json.dumps(out))


def java():
    """The JVM of both JVM sides: $JAVA_HOME/bin/java when JAVA_HOME is set (as ./rnnlab does), else java on the PATH."""
    home = os.environ.get("JAVA_HOME")
    return os.path.join(home, "bin", "java") if home else "java"


def java_version():
    try:
        run = subprocess.run([java(), "-version"], capture_output=True, text=True)
    except OSError as e:
        sys.exit("compare.py: cannot run %s (%s); set JAVA_HOME to a JDK 17 or later, or unset it to use java from the PATH"
                 % (java(), e.strerror))
    lines = (run.stderr or run.stdout).strip().splitlines()
    return lines[0] if lines else "unknown"


def thread_env(threads):
    env = dict(os.environ)
    for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[k] = str(threads)
    return env


def last_json(cmd, env, what):
    run = subprocess.run(cmd, capture_output=True, text=True, env=env)
    lines = [l for l in run.stdout.strip().splitlines() if l.startswith("{")]
    if run.returncode != 0 or not lines:
        sys.exit("compare.py: %s failed (exit %d):\n  %s\n%s" % (what, run.returncode, " ".join(cmd), run.stderr.strip()[-2000:]))
    return json.loads(lines[-1])


def me(*args):
    return [sys.executable, os.path.abspath(__file__)] + [str(a) for a in args]


def dl4j_classpath():
    jars = sorted(glob.glob(os.path.join(ROOT, "benchmarks", "target", "benchmarks-*-peers.jar")))
    cp = os.path.join(ROOT, "benchmarks", "target", "peers.classpath")
    if not jars or not os.path.exists(cp):
        return None
    with open(cp) as f:
        return jars[-1] + os.pathsep + f.read().strip()


def fmt(v, spec="%.3f"):
    return "-" if v is None else spec % v


def main():
    ap = argparse.ArgumentParser(description="rnnlab beside PyTorch and Deeplearning4j (see the module's text).")
    ap.add_argument("--seconds", type=float, default=2, help="timed seconds per side and configuration (default 2)")
    ap.add_argument("--max-warmup", type=float, default=30, help="the longest warm-up per side and configuration (default 30)")
    ap.add_argument("--threads", default="1,2", help="thread counts, comma-separated (default 1,2)")
    ap.add_argument("--configs", default="course,small,medium,large", help="configurations (default all four)")
    ap.add_argument("--cells", default="rnn,gru,lstm", help="cells (default rnn,gru,lstm)")
    ap.add_argument("--path", default="fused", choices=("fused", "cells"), help="rnnlab's path (default fused)")
    ap.add_argument("--dl4j", default="auto", choices=("auto", "yes", "no"),
                    help="run Deeplearning4j: auto (when built with -Ppeers), yes, no (default auto)")
    ap.add_argument("--dl4j-threads", default=None, help="thread counts for DL4J (default: those of --threads)")
    ap.add_argument("--dl4j-seconds", type=float, default=None, help="timed seconds for DL4J (default --seconds)")
    ap.add_argument("--dl4j-max-warmup", type=float, default=None, help="the longest DL4J warm-up (default --max-warmup)")
    ap.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "target", "compare.json"), help="where the JSON goes")
    ap.add_argument("--from", dest="source", metavar="JSON", help="print the tables of an earlier run's JSON and stop")
    ap.add_argument("--torch-one", nargs=9, help=argparse.SUPPRESS)
    ap.add_argument("--dgemm-one", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.torch_one:
        c, m, T, nx, na, dt, th, s, w = args.torch_one
        return torch_one(c, int(m), int(T), int(nx), int(na), dt, int(th), float(s), float(w))
    if args.dgemm_one:
        return dgemm_one(int(args.dgemm_one[0]), float(args.dgemm_one[1]))

    if args.source:
        with open(args.source) as f:
            results = json.load(f)
        return print_tables(results, any("dl4j_float64" in r for r in results["rows"]))
    threads = [int(t) for t in args.threads.split(",")]
    configs = [c for c in CONFIGS if c[0] in args.configs.split(",")]
    cells = [c for c in CELLS if c in args.cells.split(",")]
    unknown = set(args.configs.split(",")) - {c[0] for c in CONFIGS}
    if unknown or not configs or not cells or any(t < 1 for t in threads):
        ap.error("--configs takes course, small, medium, large; --cells rnn, gru, lstm; --threads positive counts")
    cp = dl4j_classpath()
    if args.dl4j == "yes" and cp is None:
        sys.exit("compare.py: Deeplearning4j is not built; run: mvn -B -ntp -Ppeers -pl benchmarks -am package -DskipTests")
    use_dl4j = args.dl4j != "no" and cp is not None
    dl4j_threads = [int(t) for t in args.dl4j_threads.split(",")] if args.dl4j_threads else threads
    dl4j_seconds = args.dl4j_seconds or args.seconds
    dl4j_warmup = args.dl4j_max_warmup or args.max_warmup

    probe = last_json(me("--torch-one", "rnn", 1, 2, 2, 2, "float64", 1, 0.01, 0.01), None, "PyTorch")
    jvm = java_version()
    print("PyTorch %s (oneDNN %s), %s; rnnlab %s path; Deeplearning4j %s; JVM: %s" % (
        probe["torch"], "on" if probe["mkldnn"] else "off", sys.executable, args.path,
        "1.0.0-M2.1 (-Ppeers)" if use_dl4j else "not run", jvm), flush=True)
    results = {"torch": probe["torch"], "java": jvm, "threads": threads,
               "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "rows": [], "dgemm": []}
    for name, m, T, nx, na in configs:
        dgemm = {}
        for th in threads:
            d = last_json(me("--dgemm-one", th, 1), thread_env(th), "the dgemm probe")
            # one thread: by CPU time, as the cells below; more: by the clock
            key = "cpuGflops" if th == 1 else "gflops"
            dgemm[th] = max(d["numpy"][key], d["torch"][key])
            results["dgemm"].append({"before": name, "threads": th, "numpy": d["numpy"], "torch": d["torch"]})
        for cell in cells:
            for th in threads:
                row = {"config": name, "m": m, "T": T, "nx": nx, "na": na, "cell": cell, "threads": th,
                       "dgemmGflops": dgemm[th]}
                cmd = [os.path.join(ROOT, "rnnlab"), "bench", "--cell", cell, "--batch", m, "--steps", T, "--input", nx,
                       "--hidden", na, "--backward", "--json", "--seconds", args.seconds, "--max-warmup", args.max_warmup,
                       "--threads", th, "--path", args.path]
                row["rnnlab"] = last_json([str(c) for c in cmd], thread_env(th), "rnnlab bench (%s %s)" % (name, cell))
                for dt in ("float64", "float32"):
                    row["torch_" + dt] = last_json(me("--torch-one", cell, m, T, nx, na, dt, th, args.seconds, args.max_warmup),
                                                   thread_env(th), "PyTorch (%s %s %s)" % (name, cell, dt))
                if use_dl4j and cell != "gru" and th in dl4j_threads:
                    for dt, jt in (("float64", "double"), ("float32", "float")):
                        cmd = [java(), "-cp", cp, "org.rnnlab.bench.peers.Dl4jPeer", "--cell", cell, "--batch", m,
                               "--steps", T, "--input", nx, "--hidden", na, "--dtype", jt, "--threads", th,
                               "--seconds", dl4j_seconds, "--max-warmup", dl4j_warmup]
                        row["dl4j_" + dt] = last_json([str(c) for c in cmd], thread_env(th), "Dl4jPeer (%s %s %s)" % (name, cell, jt))
                results["rows"].append(row)
                print("  %s %s, %d thread(s): done" % (name, cell, th), file=sys.stderr, flush=True)
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(args.out), suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(results, f, indent=1)
    os.replace(tmp, args.out)
    print_tables(results, use_dl4j)


def t(r, th):
    """The time a row is judged by: CPU time on one thread, the clock on more."""
    return r["cpuMs"] if th == 1 else r["ms"]


def print_tables(results, use_dl4j):
    rows = results["rows"]
    print()
    print("JVM of rnnlab and DL4J: %s" % results.get("java", "not recorded"))
    for th in results["threads"]:
        mine = [r for r in rows if r["threads"] == th]
        if not mine:
            continue
        how = "CPU time of the calling thread" if th == 1 else "time by the clock"
        print()
        print("### %d thread%s (%s; dgemm: float64 n = 1024, measured before each configuration)" % (th, "" if th == 1 else "s", how))
        print()
        print("| config (m, T, n_x, n_a) | cell | rnnlab ms | GFLOP/s | % of dgemm | heap MiB | RSS MiB "
              "| torch f64 ms | × | torch f32 ms | × | torch RSS MiB |"
              + (" DL4J f64 ms | × | DL4J f32 ms | × | DL4J RSS MiB |" if use_dl4j else ""))
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
              + (" ---: | ---: | ---: | ---: | ---: |" if use_dl4j else ""))
        last = None
        for r in mine:
            ours = t(r["rnnlab"], th)
            gf = flops(r["cell"], r["m"], r["T"], r["nx"], r["na"]) / (ours * 1e6)
            label = "%s (%d, %d, %d, %d)" % (r["config"], r["m"], r["T"], r["nx"], r["na"]) if r["config"] != last else ""
            last = r["config"]
            t64, t32 = t(r["torch_float64"], th), t(r["torch_float32"], th)
            line = "| %s | %s | %.3f | %.2f | %.0f%% | %.1f | %.0f | %.3f | %.2f× | %.3f | %.2f× | %.0f/%.0f |" % (
                label, r["cell"].upper() if r["cell"] != "lstm" else "LSTM", ours, gf, 100 * gf / r["dgemmGflops"],
                r["rnnlab"]["heapBytes"] / MIB, r["rnnlab"]["peakRssBytes"] / MIB, t64, t64 / ours, t32, t32 / ours,
                r["torch_float32"]["peakRssBytes"] / MIB, r["torch_float64"]["peakRssBytes"] / MIB)
            if use_dl4j:
                if "dl4j_float64" in r:
                    d64, d32 = t(r["dl4j_float64"], th), t(r["dl4j_float32"], th)
                    line += " %.3f | %.2f× | %.3f | %.2f× | %.0f/%.0f |" % (
                        d64, d64 / ours, d32, d32 / ours, r["dl4j_float32"]["peakRssBytes"] / MIB,
                        r["dl4j_float64"]["peakRssBytes"] / MIB)
                else:
                    line += " - | - | - | - | - |"
            print(line)
        dg = sorted({round(r["dgemmGflops"], 1) for r in mine})
        print()
        print("dgemm on %d thread%s: %s GFLOP/s. × = the peer's time over rnnlab's (above 1: rnnlab is faster). "
              "RSS: f32/f64 peak resident set of the peer's process." % (th, "" if th == 1 else "s", ", ".join("%.1f" % d for d in dg)))
    print_targets(rows)
    unsettled = [(r["config"], r["cell"], r["threads"], side) for r in rows for side in r
                 if isinstance(r[side], dict) and r[side].get("warmupSettled") is False]
    if unsettled:
        print()
        print("Warm-ups that did not settle (the medians still moved when --max-warmup ran out): "
              + ", ".join("%s %s %dt %s" % u for u in unsettled))


def print_targets(rows):
    """How far the run meets the targets of docs/benchmarks.md."""
    print()
    print("### Targets")
    print()
    for r in rows:
        if r["config"] == "large" and r["cell"] == "lstm":
            th = r["threads"]
            ours = t(r["rnnlab"], th)
            gf = flops("lstm", r["m"], r["T"], r["nx"], r["na"]) / (ours * 1e6)
            print("- large LSTM float64, %d thread(s): %.0f%% of dgemm (%.2f of %.2f GFLOP/s; target 85%%), "
                  "%.2f× PyTorch float64 (target 1.15×), %.2f× PyTorch float32"
                  % (th, 100 * gf / r["dgemmGflops"], gf, r["dgemmGflops"], t(r["torch_float64"], th) / ours,
                     t(r["torch_float32"], th) / ours))
    for th in sorted({r["threads"] for r in rows}):
        course = [r for r in rows if r["config"] == "course" and r["threads"] == th]
        if course:
            print("- course configuration, %d thread(s), × PyTorch float64 (target 10× every cell): %s" % (th, ", ".join(
                "%s %.2f×" % (r["cell"], t(r["torch_float64"], th) / t(r["rnnlab"], th)) for r in course)))
        dl = [r for r in rows if r["threads"] == th and "dl4j_float64" in r]
        if dl:
            worst = min(dl, key=lambda r: t(r["dl4j_float64"], th) / t(r["rnnlab"], th))
            print("- every configuration and cell, %d thread(s), × DL4J float64 (target 3×): lowest %.2f× (%s %s), "
                  "highest %.2f×" % (th, t(worst["dl4j_float64"], th) / t(worst["rnnlab"], th), worst["config"],
                                     worst["cell"], max(t(r["dl4j_float64"], th) / t(r["rnnlab"], th) for r in dl)))


if __name__ == "__main__":
    main()
