"""scikit-learn / numpy side of `npm run bench`, as a server so that bench.ts can interleave its timings with ours
(a noisy machine then slows both sides alike). Reads one JSON request per line on stdin, answers one JSON line each:

  {"op": "prepare", "id": ..., "case": {...}}  load the case's data (raw float64 files written by bench.ts), build
                                              its fit and run it once to warm up; answers {"threads": N}
  {"op": "run", "id": ..., "iterations": n}   one timed fit of n iterations; answers {"ms": ..., <its result>}
  {"op": "reset"}                             forget every case and its data
"""
import json, sys, time
import numpy as np
import sklearn.cluster._kmeans as kmeans_module
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_info

_arrays = {}


def load(path, rows, cols, dtype=np.float64):
    key = (path, np.dtype(dtype).name)
    if key not in _arrays:
        _arrays[key] = np.fromfile(path, dtype=np.float64).reshape(rows, cols).astype(dtype)
    return _arrays[key]


# k-means and EM iterations are timed inside scikit-learn's own loops, as ours are (see bench.ts): its Lloyd and
# Elkan loops look these passes up as module globals on every fit, one call per iteration plus a final assignment.
_pass_starts = []


def _timed(kernel):
    def wrapper(*args, **kwargs):
        _pass_starts.append(time.perf_counter())
        return kernel(*args, **kwargs)
    return wrapper


kmeans_module.lloyd_iter_chunked_dense = _timed(kmeans_module.lloyd_iter_chunked_dense)
kmeans_module.elkan_iter_chunked_dense = _timed(kmeans_module.elkan_iter_chunked_dense)
# Likewise EM: one E-step per iteration, plus a final one.
GaussianMixture._e_step = _timed(GaussianMixture._e_step)


def _loop_ms(n):
    """Iterations 2..n: from the start of pass 2 to the start of the final pass."""
    return (_pass_starts[n] - _pass_starts[1]) * 1000 if n > 1 and len(_pass_starts) == n + 1 else None


def kmeans(case):
    dtype = np.float32 if case["precision"] == "float32" else np.float64
    X = load(case["x"], case["n"], case["d"], dtype)
    init = load(case["init"], case["k"], case["d"], dtype)

    def fit(n):
        _pass_starts.clear()
        model = KMeans(case["k"], init=init, n_init=1, max_iter=n, tol=0, algorithm=case["algorithm"]).fit(X)
        return {"n_iter": int(model.n_iter_), "inertia": float(model.inertia_), "loop_ms": _loop_ms(n)}
    return fit


def gmm(case):
    k, d = case["k"], case["d"]
    X = load(case["x"], case["n"], d)
    means = load(case["means"], k, d)
    covs = load(case["covs"], k * d, d).reshape(k, d, d)
    weights = np.full(k, 1.0 / k)
    if case["covariance_type"] == "diag":
        precisions = 1.0 / np.array([np.diag(c) for c in covs])
    else:
        precisions = np.array([np.linalg.inv(c) for c in covs])

    def fit(n):
        _pass_starts.clear()
        model = GaussianMixture(k, covariance_type=case["covariance_type"], max_iter=n, tol=0, init_params="random_from_data",
                                weights_init=weights, means_init=means, precisions_init=precisions).fit(X)
        return {"n_iter": int(model.n_iter_), "lower_bound": float(model.lower_bound_), "loop_ms": _loop_ms(n)}
    return fit


def wls_gd(case):
    xy = load(case["x"], case["n"], 3)
    x, y, w = xy[:, 0], xy[:, 1], xy[:, 2]
    total = w.sum()

    def fit(n):
        b = np.zeros(2)
        for _ in range(n):
            r = b[0] + b[1] * x - y
            g = w * r
            b = b - case["learning_rate"] * np.array([g.sum(), (g * x).sum()]) / total
        return {"coef": [float(v) for v in b]}
    return fit


KINDS = {"kmeans": kmeans, "gmm": gmm, "wls-gd": wls_gd}
threads = max((i.get("num_threads", 1) for i in threadpool_info()), default=1)
fits = {}
for line in sys.stdin:
    request = json.loads(line)
    op, key = request["op"], request.get("id")
    if op == "prepare":
        fits[key] = KINDS[request["case"]["kind"]](request["case"])
        fits[key](1)  # warm-up, as on our side
        answer = {"threads": threads}
    elif op == "run":
        start = time.perf_counter()
        result = fits[key](request["iterations"])
        answer = {"ms": (time.perf_counter() - start) * 1000, **result}
    elif op == "reset":
        fits.clear()
        _arrays.clear()
        answer = {}
    else:
        answer = {"error": f"unknown op {op}"}
    print(json.dumps(answer), flush=True)
