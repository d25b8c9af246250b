"""The anchors of `npm run bench`: scikit-learn (current, on numpy 2), scikit-learn-intelex and faiss-cpu, served from
one long-lived process so that bench.ts can interleave their fits with ours (a noisy machine then slows every side
alike). Reads one JSON request per line on stdin, answers one JSON line each:

  {"op": "info"}                              versions, and the BLAS kernels threadpoolctl sees
  {"op": "prepare", "id": ..., "case": {...}} load the case's data (raw float64 files written by bench.ts), run its
                                              fit once to warm up; answers {}
  {"op": "run", "id": ..., "iterations": n}   one whole fit: n iterations, or with n null the library's defaults to
                                              convergence; answers {"ms", "passes": [ms from the call to the start of
                                              each pass], "n_iter", and its inertia or lower bound}
  {"op": "reset"}                             forget every case and its data

scikit-learn's passes are timed inside its own loops, as ours are (bench.ts): its Lloyd and Elkan loops look their
pass up as a module global on every fit, one call per iteration plus a final assignment, and EM calls `_e_step` once
per iteration plus a final one. scikit-learn-intelex and faiss run a whole fit in native code, so only whole fits are
timed there.
"""
import json, os, sys, time, warnings
import numpy as np
from threadpoolctl import threadpool_info


def _faiss_blas_kernels_as_numpys():
    """faiss-cpu bundles an older OpenBLAS (0.3.15) that does not recognise newer CPUs and falls back to its generic
    Prescott (SSE3) kernels; numpy's current OpenBLAS detects the CPU. Naming numpy's choice in OPENBLAS_CORETYPE
    before faiss loads makes faiss run the same kernels (20 iterations on 60000×784 float32 rows, k = 10: 867 ms
    against 1,228 ms with Prescott's, on the bench's 2-core machine)."""
    if "OPENBLAS_CORETYPE" in os.environ:
        return
    for library in threadpool_info():  # only numpy's is loaded yet
        if library.get("internal_api") == "openblas" and library.get("architecture"):
            os.environ["OPENBLAS_CORETYPE"] = library["architecture"]
            return


_faiss_blas_kernels_as_numpys()
import sklearn  # noqa: E402 (after the BLAS choice above, as must be every import below that may load an OpenBLAS)
import sklearn.cluster._kmeans as kmeans_module
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture

warnings.filterwarnings("ignore")
_arrays = {}


def load(path, rows, cols, dtype=np.float64):
    key = (path, np.dtype(dtype).name)
    if key not in _arrays:
        _arrays[key] = np.ascontiguousarray(np.fromfile(path, dtype=np.float64).reshape(rows, cols).astype(dtype))
    return _arrays[key]


_pass_starts = []
_fit_start = [0.0]


def _timed(pass_function):
    def wrapper(*args, **kwargs):
        _pass_starts.append((time.perf_counter() - _fit_start[0]) * 1000)
        return pass_function(*args, **kwargs)
    return wrapper


kmeans_module.lloyd_iter_chunked_dense = _timed(kmeans_module.lloyd_iter_chunked_dense)
kmeans_module.elkan_iter_chunked_dense = _timed(kmeans_module.elkan_iter_chunked_dense)
GaussianMixture._e_step = _timed(GaussianMixture._e_step)


def timed_fit(fit):
    """Runs fit() once: whole milliseconds, and when the library's passes are hooked, when each one started."""
    _pass_starts.clear()
    _fit_start[0] = time.perf_counter()
    result = fit()
    ms = (time.perf_counter() - _fit_start[0]) * 1000
    return {"ms": ms, "passes": list(_pass_starts), **result}


def kmeans(case):
    dtype = np.float32 if case["precision"] == "float32" else np.float64
    X = load(case["x"], case["n"], case["d"], dtype)
    # An explicit start (the same for every library), or the library's own k-means++ (case "init" null).
    init = load(case["init"], case["k"], case["d"], dtype) if case["init"] else "k-means++"
    library = case["library"]

    if library == "faiss":
        import faiss

        def fit(iterations):
            # faiss has no tolerance to stop by: it always runs niter iterations (none for "to convergence").
            # All rows are used (faiss samples 256 per centroid by default).
            model = faiss.Kmeans(case["d"], case["k"], niter=iterations, max_points_per_centroid=10**9, seed=1)
            model.train(X, init_centroids=init)
            return {"model": model}

        def describe(out):
            distances, _ = out["model"].index.search(X, 1)
            return {"n_iter": len(out["model"].obj), "inertia": float(distances.astype(np.float64).sum())}
    else:
        if library == "sklearnex":
            from sklearnex.cluster import KMeans as Estimator
        else:
            Estimator = KMeans

        def fit(iterations):
            options = {} if iterations is None else {"max_iter": iterations, "tol": 0}
            model = Estimator(case["k"], init=init, n_init=1, algorithm=case["algorithm"], random_state=0, **options).fit(X)
            return {"model": model}

        def describe(out):
            return {"n_iter": int(out["model"].n_iter_), "inertia": float(out["model"].inertia_)}

    def run(iterations):
        if library == "faiss" and iterations is None:
            return None
        answer = timed_fit(lambda: fit(iterations))
        return {**{k: v for k, v in answer.items() if k != "model"}, **describe(answer)}
    return run


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

    def run(iterations):
        options = {} if iterations is None else {"max_iter": iterations, "tol": 0}

        def fit():
            model = GaussianMixture(k, covariance_type=case["covariance_type"], init_params="random_from_data",
                                    weights_init=weights, means_init=means, precisions_init=precisions, **options).fit(X)
            return {"n_iter": int(model.n_iter_), "lower_bound": float(model.lower_bound_)}
        return timed_fit(fit)
    return run


def wls_gd(case):
    xy = load(case["x"], case["n"], 3)
    x, y, w = xy[:, 0], xy[:, 1], xy[:, 2]
    total = w.sum()

    def run(iterations):
        def fit():
            b = np.zeros(2)
            for _ in range(iterations):
                r = b[0] + b[1] * x - y
                g = w * r
                b = b - case["learning_rate"] * np.array([g.sum(), (g * x).sum()]) / total
            return {"coef": [float(v) for v in b]}
        return timed_fit(fit)
    return run


def info():
    import faiss
    import sklearnex  # noqa: F401 (loaded, so that threadpoolctl lists the libraries it brings)
    from importlib.metadata import version
    blas = [{"library": i.get("internal_api"), "version": i.get("version"), "kernels": i.get("architecture"),
             "threads": i.get("num_threads"), "file": i.get("filepath", "").split("/")[-1]} for i in threadpool_info()]
    return {"python": sys.version.split()[0], "numpy": np.__version__, "sklearn": sklearn.__version__,
            "sklearnex": version("scikit-learn-intelex"),  # its __version__ is a placeholder (2199.9.9)
            "faiss": faiss.__version__, "blas": blas}


KINDS = {"kmeans": kmeans, "gmm": gmm, "wls-gd": wls_gd}
fits = {}
for line in sys.stdin:
    request = json.loads(line)
    op, key = request["op"], request.get("id")
    try:
        if op == "info":
            answer = info()
        elif op == "prepare":
            fits[key] = KINDS[request["case"]["kind"]](request["case"])
            fits[key](1)  # warm-up, as on our side
            answer = {}
        elif op == "run":
            answer = fits[key](request["iterations"]) or {"skipped": True}
        elif op == "reset":
            fits.clear()
            _arrays.clear()
            answer = {}
        else:
            answer = {"error": f"unknown op {op}"}
    except Exception as e:  # the bench reports it and stops
        answer = {"error": f"{type(e).__name__}: {e}"}
    print(json.dumps(answer), flush=True)
