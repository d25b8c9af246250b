#!/usr/bin/env bash
# What `npm run bench` needs besides npm packages: Fashion-MNIST from Debian (dataset-fashion-mnist) and a Python
# with scikit-learn 1.2.2 (the .venv the fixtures use; created here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get install -y -q dataset-fashion-mnist >/dev/null || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q dataset-fashion-mnist >/dev/null; }
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -c "import sklearn, threadpoolctl; assert sklearn.__version__ == '1.2.2'" 2>/dev/null ||
  .venv/bin/pip install -q "scikit-learn==1.2.2" "numpy<2" "scipy<1.14"
