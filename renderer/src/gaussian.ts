/**
 * The little linear algebra the mixture view needs in the browser: responsibilities under a snapshot's full
 * covariances (for the mixed colours) and the axes of a 2×2 covariance (for the ellipses). Written here because
 * the renderer bundle must not pull in the Node-side library.
 */
export interface Snapshot {
  iteration: number;
  logLikelihood: number | null;
  weights: number[];
  means: number[][];
  covariances: number[][][];
}

function cholesky(a: number[][]): number[][] | null {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] * l[j][k];
    if (!(d > 0)) return null;
    l[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/** resp[i·k + c] for n points (flat, d columns). */
export function responsibilities(points: number[], d: number, snap: Snapshot): Float64Array {
  const k = snap.weights.length, n = points.length / d;
  const factors = snap.covariances.map(cholesky);
  const logConst = factors.map((l, c) => (l ? Math.log(snap.weights[c]) - l.reduce((s, row, j) => s + Math.log(row[j]), 0) : -Infinity));
  const out = new Float64Array(n * k);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      const l = factors[c];
      let q = 0;
      if (l) {
        for (let j = 0; j < d; j++) {
          let s = points[i * d + j] - snap.means[c][j];
          for (let m = 0; m < j; m++) s -= l[j][m] * z[m];
          z[j] = s / l[j][j];
          q += z[j] * z[j];
        }
      }
      const v = l ? logConst[c] - 0.5 * q : -Infinity;
      out[i * k + c] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += out[i * k + c] = Math.exp(out[i * k + c] - max);
    for (let c = 0; c < k; c++) out[i * k + c] /= sum || 1;
  }
  return out;
}

/** Semi-axes (square roots of the eigenvalues) and the angle of the major axis of a 2×2 covariance. */
export function ellipseAxes(cov: [[number, number], [number, number]]): { rx: number; ry: number; angle: number } {
  const [[a, b], [, c]] = cov;
  const mean = (a + c) / 2, radius = Math.hypot((a - c) / 2, b);
  return { rx: Math.sqrt(Math.max(mean + radius, 0)), ry: Math.sqrt(Math.max(mean - radius, 0)), angle: 0.5 * Math.atan2(2 * b, a - c) };
}

export function normalPdf(x: number, mean: number, std: number): number {
  const z = (x - mean) / std;
  return Math.exp(-0.5 * z * z) / (std * Math.sqrt(2 * Math.PI));
}
