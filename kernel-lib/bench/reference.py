"""scikit-learn / numpy side of `npm run bench`: times the same fits on the same data (raw float64 files written by
bench.ts) and prints one JSON object per case. Per-iteration time = (T(iters + 1) − T(1)) / iters, best of `repeats`,
so set-up (validation, centring, thread start) cancels out exactly as it does for ours."""
import json, sys, time
import numpy as np
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_info

spec = json.load(open(sys.argv[1]))

def load(path, rows, cols, dtype=np.float64):
    return np.fromfile(path, dtype=np.float64).reshape(rows, cols).astype(dtype)

def per_iteration(fit, iters, repeats):
    def best(n):
        times, model = [], None
        for _ in range(repeats):
            t = time.perf_counter(); model = fit(n); times.append(time.perf_counter() - t)
        return min(times), model
    fit(1)  # warm-up, as on our side
    t1, _ = best(1)
    tn, model = best(iters + 1)
    return (tn - t1) / iters * 1000, model

threads = max((i.get("num_threads", 1) for i in threadpool_info()), default=1)
for case in spec["cases"]:
    out = {"name": case["name"], "threads": threads}
    if case["kind"] == "kmeans":
        dtype = np.float32 if case["precision"] == "float32" else np.float64
        X = load(case["x"], case["n"], case["d"], dtype)
        init = load(case["init"], case["k"], case["d"], dtype)
        fit = lambda n: KMeans(case["k"], init=init, n_init=1, max_iter=n, tol=0, algorithm=case.get("algorithm", "lloyd")).fit(X)
        ms, model = per_iteration(fit, case["iters"], case["repeats"])
        out.update(ms=ms, n_iter=int(model.n_iter_), inertia=float(model.inertia_))
    elif case["kind"] == "gmm":
        X = load(case["x"], case["n"], case["d"])
        k, d = case["k"], case["d"]
        means = load(case["means"], k, d)
        covs = load(case["covs"], k * d, d).reshape(k, d, d)
        weights = np.full(k, 1.0 / k)
        if case["covariance_type"] == "diag":
            precisions = 1.0 / np.array([np.diag(c) for c in covs])
        else:
            precisions = np.array([np.linalg.inv(c) for c in covs])
        fit = lambda n: GaussianMixture(k, covariance_type=case["covariance_type"], max_iter=n, tol=0, init_params="random_from_data",
                                        weights_init=weights, means_init=means, precisions_init=precisions).fit(X)
        ms, model = per_iteration(fit, case["iters"], case["repeats"])
        out.update(ms=ms, n_iter=int(model.n_iter_), lower_bound=float(model.lower_bound_))
    elif case["kind"] == "wls-gd":
        xy = load(case["x"], case["n"], 3)
        x, y, w = xy[:, 0], xy[:, 1], xy[:, 2]
        total = w.sum()
        def gd(n):
            b = np.zeros(2)
            for _ in range(n):
                r = b[0] + b[1] * x - y
                g = w * r
                b = b - case["learning_rate"] * np.array([g.sum(), (g * x).sum()]) / total
            return b
        ms, b = per_iteration(gd, case["iters"], case["repeats"])
        out.update(ms=ms, coef=[float(v) for v in b])
    print(json.dumps(out), flush=True)
