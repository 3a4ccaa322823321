#!/usr/bin/env python3
"""Writes a small safetensors file using only the Python standard library (json and struct).

rnnlab's reader must read it back to the same values (core-math SafeTensorsTest). The file holds an
F64 matrix, an F64 vector, an F32 matrix, an I64 vector, an empty tensor and metadata strings, in an
order that differs from the offsets' order, with a header padded with spaces as the reference
implementation pads it.

Run from the repository root:
    python3 tools/write_safetensors_fixture.py core-math/src/test/resources/safetensors/python-written.safetensors
"""
import json
import struct
import sys


def main(path):
    tensors = [
        # name, dtype, struct code, shape, values
        ("Wa", "F64", "d", [2, 3], [1.5, -2.25, 3.0e-300, 4.0, -0.0, 1.0e300]),
        ("ba", "F64", "d", [2], [0.1, -0.2]),
        ("f32", "F32", "f", [2, 2], [0.5, -1.25, 3.0, 1024.0]),
        ("ids", "I64", "q", [3], [0, 7, -3]),
        ("empty", "F64", "d", [0, 4], []),
    ]
    header = {"__metadata__": {"module": "LSTM", "note": "written by struct, ünïcödé"}}
    data = b""
    for name, dtype, code, shape, values in tensors:
        raw = struct.pack("<%d%s" % (len(values), code), *values)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    # list the entries in a different order from their offsets
    ordered = {k: header[k] for k in ["ids", "__metadata__", "Wa", "empty", "f32", "ba"]}
    text = json.dumps(ordered, ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
