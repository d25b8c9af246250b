#!/usr/bin/env bash
# What `npm run bench` needs besides npm packages: Fashion-MNIST from Debian (dataset-fashion-mnist) and, in
# kernel-lib/bench/.venv, the anchors it races from PyPI: the current scikit-learn on numpy 2, scikit-learn-intelex
# (oneDAL) and faiss-cpu. (scikit-learn 1.2.2, in the repository's .venv, is only for the test fixtures.)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get install -y -q dataset-fashion-mnist >/dev/null || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q dataset-fashion-mnist >/dev/null; }
fi
venv=kernel-lib/bench/.venv
pins=("scikit-learn==1.9.1" "numpy==2.4.6" "scipy==1.17.1" "scikit-learn-intelex==2026.2.0" "faiss-cpu==1.15.1" "threadpoolctl==3.8.0")
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" - "${pins[@]}" 2>/dev/null <<'PY' || "$venv/bin/pip" install -q --disable-pip-version-check "${pins[@]}"
import sys
from importlib.metadata import version
for pin in sys.argv[1:]:
    name, wanted = pin.split("==")
    assert version(name) == wanted, pin
PY
