#!/usr/bin/python3
"""A course-style NumPy character RNN training loop beside rnnlab's, for the per-step time.

The NumPy loop is the course's "Dinosaurus Island" model written plainly: one name per step, x<1> = 0,
a<t> = tanh(Waa a<t-1> + Wax x<t> + b), y<t> = softmax(Wya a<t> + by), the cross-entropy summed over
the name, backpropagation through time, gradients clipped to [-5, 5], an SGD update. n_a = 50,
vocabulary 27 (a-z and the newline), names of 3 to 19 characters (11 on average, like the city names).

Then the same loop on rnnlab's kernels (`rnnlab bench --course-loop`: the class CourseLoop, random names of
the same lengths, n_a = 50, vocabulary 27), on one thread and on two (`--threads 2`: the head follows the
recurrence on the second core; the same bits), and the same model through the general trainer: `rnnlab train --corpus jdk:cities --cell rnn --hidden 50 --batch 1
--optimizer sgd --lr 0.01 --clip-value 5 --clip-norm 0 --patience 0` (the NumPy loop clips by value only, so rnnlab does not clip by norm either), timed over 30,300 and 300 steps so that the JVM's start and
the first compilations cancel out. Prints both times per step and their ratio; on one thread also by the CPU
time of the calling thread, which other programs on a busy machine do not lengthen. Not used by tests.

    /usr/bin/python3 benchmarks/numpy/char_rnn_step.py
"""
import json
import os
import subprocess
import time

import numpy as np

NA, V = 50, 27


def numpy_seconds_per_step(steps):
    rng = np.random.default_rng(1)
    Wax = rng.standard_normal((NA, V)) * 0.01
    Waa = rng.standard_normal((NA, NA)) * 0.01
    Wya = rng.standard_normal((V, NA)) * 0.01
    b = np.zeros((NA, 1))
    by = np.zeros((V, 1))
    names = [list(rng.integers(0, 26, size=rng.integers(3, 20))) for _ in range(steps)]
    lr = 0.01
    t0 = time.perf_counter()
    c0 = time.thread_time()
    for name in names:
        X = [None] + name
        Y = name + [26]
        xs, hs, ps = {}, {-1: np.zeros((NA, 1))}, {}
        loss = 0.0
        for t in range(len(X)):
            xs[t] = np.zeros((V, 1))
            if X[t] is not None:
                xs[t][X[t]] = 1
            hs[t] = np.tanh(Wax @ xs[t] + Waa @ hs[t - 1] + b)
            z = Wya @ hs[t] + by
            e = np.exp(z - z.max())
            ps[t] = e / e.sum()
            loss -= np.log(ps[t][Y[t], 0])
        dWax, dWaa, dWya = np.zeros_like(Wax), np.zeros_like(Waa), np.zeros_like(Wya)
        db, dby = np.zeros_like(b), np.zeros_like(by)
        da_next = np.zeros((NA, 1))
        for t in reversed(range(len(X))):
            dy = ps[t].copy()
            dy[Y[t]] -= 1
            dWya += dy @ hs[t].T
            dby += dy
            da = Wya.T @ dy + da_next
            dz = (1 - hs[t] ** 2) * da
            db += dz
            dWax += dz @ xs[t].T
            dWaa += dz @ hs[t - 1].T
            da_next = Waa.T @ dz
        for g in (dWax, dWaa, dWya, db, dby):
            np.clip(g, -5, 5, out=g)
        Wax -= lr * dWax
        Waa -= lr * dWaa
        Wya -= lr * dWya
        b -= lr * db
        by -= lr * dby
    return (time.perf_counter() - t0) / steps, (time.thread_time() - c0) / steps


def rnnlab_seconds(root, steps):
    cmd = [os.path.join(root, "rnnlab"), "train", "--corpus", "jdk:cities", "--cell", "rnn", "--hidden", "50", "--batch", "1",
           "--optimizer", "sgd", "--lr", "0.01", "--clip-value", "5", "--clip-norm", "0", "--steps", str(steps), "--samples", "0", "--patience", "0", "--json",
           "--checkpoint", "/tmp/rnnlab-char-rnn-step.safetensors"]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0


def course_loop(root, threads):
    """(seconds per step, CPU seconds of the calling thread per step, the cores' round trip in ns just after, or
    None with one thread)"""
    out = subprocess.run([os.path.join(root, "rnnlab"), "bench", "--course-loop", "--json", "--seconds", "5",
                          "--threads", str(threads)], check=True, capture_output=True, text=True).stdout
    j = json.loads(out.strip().splitlines()[-1])
    return j["microsPerStep"] / 1e6, j["cpuMicrosPerStep"] / 1e6, j.get("roundTripNs")


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    rnnlab_seconds(root, 10)   # builds the jar if needed
    ours = (rnnlab_seconds(root, 30300) - rnnlab_seconds(root, 300)) / 30000
    theirs, theirs_cpu = numpy_seconds_per_step(3000)
    loop1, loop1_cpu, _ = course_loop(root, 1)
    loop2, _, rt = course_loop(root, 2)
    print("NumPy course loop          : %.1f µs per step (CPU time: %.1f µs)" % (theirs * 1e6, theirs_cpu * 1e6))
    print("rnnlab bench --course-loop : %.1f µs per step, %.1fx (1 thread); by CPU time %.1f µs, %.1fx"
          % (loop1 * 1e6, theirs / loop1, loop1_cpu * 1e6, theirs_cpu / loop1_cpu))
    print("  ... --threads 2          : %.1f µs per step, %.1fx (2 threads; the cores' round trip just after: %s ns)"
          % (loop2 * 1e6, theirs / loop2, rt))
    print("rnnlab train               : %.1f µs per step (validation included), %.1fx" % (ours * 1e6, theirs / ours))

if __name__ == "__main__":
    main()
