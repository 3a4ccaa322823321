#!/usr/bin/env bash
# Creates benchmarks/target/pytorch-venv with PyTorch 2.13 (CPU build) and numpy, for compare.py:
#
#     bash benchmarks/pytorch/setup-venv.sh
#     benchmarks/target/pytorch-venv/bin/python benchmarks/pytorch/compare.py
#
# Uses pip's configured sources as they are (`pip config list`: find-links and extra index URLs) and, when
# they name local folders, passes them as --index-url/--find-links so that pip does not wait on an index
# it cannot reach. TORCH_VERSION (default 2.13.0+cpu) and PYTHON (default python3, 3.10 or newer) override.
# The environment lives under target/, so `mvn clean` in benchmarks removes it; run this again to restore it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/../target/pytorch-venv"
python="${PYTHON:-python3}"
torch_version="${TORCH_VERSION:-2.13.0+cpu}"

command -v "$python" >/dev/null 2>&1 || { echo "setup-venv.sh: $python not found; set PYTHON to a Python 3.10 or newer" >&2; exit 1; }
if [ ! -x "$venv/bin/python" ]; then
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv" || { echo "setup-venv.sh: '$python -m venv' failed (on Debian: apt-get install python3-venv)" >&2; exit 1; }
fi

# local sources, if pip's configuration names them: the first file:// index becomes the index, the rest extra
args=()
sources="$("$venv/bin/python" -m pip config list 2>/dev/null || true)"
first=1
for url in $(printf '%s\n' "$sources" | sed -n "s/^[^=]*extra-index-url='\(.*\)'$/\1/p" | tr ' ' '\n' | awk '!seen[$0]++'); do
  case "$url" in
    file://*) if [ "$first" = 1 ]; then args+=(--index-url "$url"); first=0; else args+=(--extra-index-url "$url"); fi ;;
  esac
done
for dir in $(printf '%s\n' "$sources" | sed -n "s/^[^=]*find-links='\(.*\)'$/\1/p" | tr ' ' '\n' | awk '!seen[$0]++'); do
  [ -d "$dir" ] && args+=(--find-links "$dir")
done
if [ "$first" = 0 ]; then
  echo "setup-venv.sh: installing torch==$torch_version and numpy from the local sources: ${args[*]}" >&2
else
  echo "setup-venv.sh: no local package index configured; installing torch==$torch_version from pip's own sources" >&2
  echo "  (the +cpu builds are on PyTorch's CPU wheel index: give it with PIP_EXTRA_INDEX_URL)" >&2
fi
"$venv/bin/python" -m pip install --disable-pip-version-check "${args[@]}" "torch==$torch_version" numpy
"$venv/bin/python" -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__, "in", __import__("sys").prefix)'
