import { InvalidArgumentError, NotPositiveDefiniteError, ShapeError } from "../errors";
import { checkOneOf, checkPositiveInt } from "../validate";
import { cholesky, forwardSubstitute } from "../linalg/cholesky";
import { FloatArray, Matrix } from "../linalg/matrix";

export type CovarianceType = "full" | "diag" | "spherical" | "tied";
export const COVARIANCE_TYPES: readonly CovarianceType[] = ["full", "diag", "spherical", "tied"];

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * The covariances of k components under one of scikit-learn's four constraints, stored compactly:
 * full k·d·d, diag k·d, spherical k, tied d·d. Knows how to evaluate log N(x | μ_k, Σ_k) for all k.
 */
export class Covariances {
  private factors?: Float64Array[];

  constructor(readonly type: CovarianceType, readonly k: number, readonly d: number, readonly values: Float64Array) {
    checkOneOf(type, COVARIANCE_TYPES, "type");
    checkPositiveInt(k, "k");
    checkPositiveInt(d, "d");
    if (!(values instanceof Float64Array)) throw new InvalidArgumentError("Covariances values must be a Float64Array");
    const expected = { full: k * d * d, diag: k * d, spherical: k, tied: d * d }[type];
    if (values.length !== expected) throw new ShapeError(`${type} covariances for k=${k}, d=${d} need ${expected} values, got ${values.length}`);
  }

  /** Full d×d covariance matrices from any representation, each component one matrix. */
  static fromFull(type: CovarianceType, full: Matrix[]): Covariances {
    if (!Array.isArray(full) || full.length === 0 || !full.every((m) => m instanceof Matrix)) {
      throw new InvalidArgumentError("Covariances.fromFull needs a non-empty array of d×d Matrix objects, one per component");
    }
    const k = full.length, d = full[0].rows;
    const v = new Float64Array({ full: k * d * d, diag: k * d, spherical: k, tied: d * d }[type]);
    full.forEach((m, c) => {
      if (m.rows !== d || m.cols !== d) throw new ShapeError(`covariance ${c} is ${m.rows}×${m.cols}, expected ${d}×${d}`);
      if (type === "full") v.set(m.data, c * d * d);
      else if (type === "diag") for (let j = 0; j < d; j++) v[c * d + j] = m.data[j * d + j];
      else if (type === "spherical") v[c] = trace(m) / d;
      else if (c === 0) v.set(m.data);
    });
    return new Covariances(type, k, d, v);
  }

  /** Component c's covariance as a full d×d matrix. */
  component(c: number): Matrix {
    const { d } = this;
    const m = Matrix.zeros(d, d);
    switch (this.type) {
      case "full": m.data.set(this.values.subarray(c * d * d, (c + 1) * d * d)); break;
      case "tied": m.data.set(this.values); break;
      case "diag": for (let j = 0; j < d; j++) m.data[j * d + j] = this.values[c * d + j]; break;
      case "spherical": for (let j = 0; j < d; j++) m.data[j * d + j] = this.values[c]; break;
    }
    return m;
  }

  toFull(): Matrix[] {
    return Array.from({ length: this.k }, (_, c) => this.component(c));
  }

  /** Free parameters (for BIC/AIC). */
  parameterCount(): number {
    const { k, d } = this;
    return { full: (k * d * (d + 1)) / 2, diag: k * d, spherical: k, tied: (d * (d + 1)) / 2 }[this.type];
  }

  /**
   * out[i·k + c] = log N(x_i | μ_c, Σ_c). Throws NotPositiveDefiniteError naming the component when a
   * covariance cannot be factorised.
   */
  logDensities(x: FloatArray, n: number, means: Float64Array, out: Float64Array): void {
    const { k, d } = this;
    if (this.type === "diag" || this.type === "spherical") {
      for (let c = 0; c < k; c++) {
        let logDet = 0;
        const variance = (j: number) => (this.type === "diag" ? this.values[c * d + j] : this.values[c]);
        for (let j = 0; j < d; j++) {
          if (!(variance(j) > 0)) throw singular(c, this.type);
          logDet += Math.log(variance(j));
        }
        const constant = -0.5 * (d * LOG_2PI + logDet);
        for (let i = 0; i < n; i++) {
          let q = 0;
          for (let j = 0; j < d; j++) {
            const diff = x[i * d + j] - means[c * d + j];
            q += (diff * diff) / variance(j);
          }
          out[i * k + c] = constant - 0.5 * q;
        }
      }
      return;
    }
    const factors = this.choleskyFactors();
    const diff = new Float64Array(d);
    for (let c = 0; c < k; c++) {
      const L = factors[this.type === "tied" ? 0 : c];
      let logDet = 0;
      for (let j = 0; j < d; j++) logDet += 2 * Math.log(L[j * d + j]);
      const constant = -0.5 * (d * LOG_2PI + logDet);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - means[c * d + j];
        forwardSubstitute(L, d, diff);
        let q = 0;
        for (let j = 0; j < d; j++) q += diff[j] * diff[j];
        out[i * k + c] = constant - 0.5 * q;
      }
    }
  }

  private choleskyFactors(): Float64Array[] {
    if (!this.factors) {
      const count = this.type === "tied" ? 1 : this.k;
      this.factors = Array.from({ length: count }, (_, c) => {
        try {
          return cholesky(this.component(c), { name: `covariance of component ${c}` }).L.data as Float64Array;
        } catch (e) {
          if (e instanceof NotPositiveDefiniteError) throw singular(c, this.type);
          throw e;
        }
      });
    }
    return this.factors;
  }
}

export function singular(c: number, type: CovarianceType): NotPositiveDefiniteError {
  const which = type === "tied" ? "the tied covariance" : `component ${c}'s covariance`;
  return new NotPositiveDefiniteError(
    `${which} is not positive definite (ill-defined empirical covariance, e.g. from a component that collapsed onto ` +
      `one point or duplicate samples). Increase regCovar (e.g. to 1e-3), use fewer components, or a different init.`,
  );
}

function trace(m: Matrix): number {
  let s = 0;
  for (let j = 0; j < m.rows; j++) s += m.data[j * m.cols + j];
  return s;
}
