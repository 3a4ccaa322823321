#!/usr/bin/python3
"""End-to-end check of `rnnlab pytorch run` against PyTorch itself (needs Debian's python3-torch).

For a few random modules, saves the state_dict and an input with PyTorch's tensors (written with
json + struct, the safetensors layout), runs ./rnnlab pytorch run, reads the result back and prints
the largest absolute difference from PyTorch for every tensor. Not needed by the tests.

    /usr/bin/python3 tools/check_pytorch_run.py
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

import torch

sys.path.insert(0, os.path.dirname(__file__))
from pytorch_fixtures import save  # noqa: E402


def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        vals = struct.unpack("<%dd" % ((end - b) // 8), data[b:end])
        out[name] = torch.tensor(vals, dtype=torch.float64).reshape(e["shape"])
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    worst = 0.0
    torch.manual_seed(123)
    for module, layers, bidir in [("LSTM", 3, True), ("GRU", 2, False), ("RNN", 1, True)]:
        net = getattr(torch.nn, module)(input_size=7, hidden_size=9, num_layers=layers, bidirectional=bidir).double()
        x = torch.randn(6, 4, 7, dtype=torch.float64, requires_grad=True)
        out = net(x)[0]
        r = torch.randn(out.shape, dtype=torch.float64)
        (r * out).sum().backward()
        with tempfile.TemporaryDirectory() as d:
            w, i, o = (os.path.join(d, n) for n in ("w.safetensors", "x.safetensors", "y.safetensors"))
            save(w, dict(net.state_dict()), {"module": module})
            save(i, {"input": x, "grad_output": r})
            subprocess.run([os.path.join(root, "rnnlab"), "pytorch", "run", "--weights", w, "--input", i, "--out", o],
                           check=True, stdout=subprocess.DEVNULL)
            got = load(o)
        want = {"output": out, "grad_input": x.grad}
        want.update({"grad." + n: p.grad for n, p in net.named_parameters()})
        diff = max(float((got[k] - v).abs().max()) for k, v in want.items())
        worst = max(worst, diff)
        print("%-4s layers=%d bidirectional=%-5s  max |rnnlab − torch| over %d tensors = %.2e"
              % (module, layers, bidir, len(want), diff))
    sys.exit(0 if worst < 1e-12 else 1)


if __name__ == "__main__":
    main()
