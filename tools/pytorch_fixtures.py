#!/usr/bin/python3
"""Writes the PyTorch golden files that rnnlab's tests compare against (float64, CPU).

For each module (RNN tanh, RNN relu, GRU, LSTM) and each shape (one layer; two bidirectional
layers), three safetensors files:
  <name>.weights.safetensors   the state_dict, with __metadata__ module, num_layers, bidirectional,
                               nonlinearity, input_size, hidden_size
  <name>.input.safetensors     input (T, m, n_x), h0, c0 (LSTM), grad_output (T, m, D*n_a)
  <name>.expected.safetensors  output, h_n, c_n (LSTM), grad_input, grad_h0, grad_c0 (LSTM),
                               grad.<parameter name> for every weight
The gradients are those of L = sum(grad_output * output): a seeded random projection, never a plain
sum. Tests need no Python: the files are committed.

Run with Debian's python3 and python3-torch (apt-get install -y python3-torch):
    /usr/bin/python3 tools/pytorch_fixtures.py cells/src/test/resources/pytorch
Writing uses only json and struct (no safetensors package needed).
"""
import json
import os
import struct
import sys

import torch


def save(path, tensors, metadata=None):
    header = {}
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    data = b""
    for name, t in tensors.items():
        t = t.detach().to(torch.float64).contiguous()
        raw = struct.pack("<%dd" % t.numel(), *t.flatten().tolist())
        header[name] = {"dtype": "F64", "shape": list(t.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(data)


def fixture(outdir, name, module, num_layers, bidirectional, nonlinearity="tanh", T=5, m=3, nx=4, na=6, seed=0):
    torch.manual_seed(seed)
    kwargs = dict(input_size=nx, hidden_size=na, num_layers=num_layers, bidirectional=bidirectional)
    if module == "RNN":
        net = torch.nn.RNN(nonlinearity=nonlinearity, **kwargs)
    elif module == "GRU":
        net = torch.nn.GRU(**kwargs)
    else:
        net = torch.nn.LSTM(**kwargs)
    net = net.double()
    # weights a little larger than the default so that every gate works in its non-linear range
    with torch.no_grad():
        for p in net.parameters():
            p.uniform_(-0.6, 0.6)
    D = 2 if bidirectional else 1
    x = torch.randn(T, m, nx, dtype=torch.float64, requires_grad=True)
    h0 = (0.5 * torch.randn(num_layers * D, m, na, dtype=torch.float64)).requires_grad_(True)
    c0 = (0.5 * torch.randn(num_layers * D, m, na, dtype=torch.float64)).requires_grad_(True)
    if module == "LSTM":
        out, (hn, cn) = net(x, (h0, c0))
    else:
        out, hn = net(x, h0)
    r = torch.randn(out.shape, dtype=torch.float64)
    (r * out).sum().backward()

    meta = dict(module=module, num_layers=num_layers, bidirectional=str(bidirectional).lower(),
                nonlinearity=nonlinearity, input_size=nx, hidden_size=na)
    save(os.path.join(outdir, name + ".weights.safetensors"), dict(net.state_dict()), meta)
    inputs = {"input": x, "h0": h0, "grad_output": r}
    expected = {"output": out, "h_n": hn, "grad_input": x.grad, "grad_h0": h0.grad}
    if module == "LSTM":
        inputs["c0"] = c0
        expected["c_n"] = cn
        expected["grad_c0"] = c0.grad
    for pname, p in net.named_parameters():
        expected["grad." + pname] = p.grad
    save(os.path.join(outdir, name + ".input.safetensors"), inputs)
    save(os.path.join(outdir, name + ".expected.safetensors"), expected,
         dict(torch=torch.__version__, loss="sum(grad_output * output)"))


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    for module, nl in [("RNN", "tanh"), ("RNN", "relu"), ("GRU", "tanh"), ("LSTM", "tanh")]:
        base = module.lower() + ("_" + nl if module == "RNN" else "")
        fixture(outdir, base, module, 1, False, nl, seed=1)
        fixture(outdir, base + "_2layer_bidir", module, 2, True, nl, T=4, m=2, nx=3, na=5, seed=2)


if __name__ == "__main__":
    main(sys.argv[1])
