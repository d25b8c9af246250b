/**
 * The maths of a mixture picture, shared by the kernel-side builders (static fallbacks) and the notebook renderer
 * (which bundles this module): responsibility colours and σ-ellipses. Pure: no Node or DOM imports.
 */
import { symmetricEigen } from "../linalg/eigen";
import { Matrix } from "../linalg/matrix";
import { Covariances } from "../mixture/covariance";
import { expectation } from "../mixture/expectation";
import { MixtureSnapshot } from "../output-contract";

/** Responsibilities r[i·k + c] of n points (flat, d per point) under a snapshot's parameters. */
export function responsibilities(points: ArrayLike<number>, d: number, snapshot: MixtureSnapshot): Float64Array {
  const params = {
    weights: Float64Array.from(snapshot.weights),
    means: Float64Array.from(snapshot.means.flat()),
    covariances: Covariances.fromFull("full", snapshot.covariances.map((c) => Matrix.fromRows(c))),
  };
  return expectation(Float64Array.from(points), points.length / d, params).resp;
}

export function hexToRgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** Each point's colour: the responsibility-weighted mix of the component colours (the EM homework's picture). */
export function mixedColours(resp: Float64Array, k: number, colors: readonly string[]): [number, number, number][] {
  const palette = Array.from({ length: k }, (_, c) => hexToRgb(colors[c % colors.length]));
  const n = resp.length / k;
  return Array.from({ length: n }, (_, i) => {
    const rgb: [number, number, number] = [0, 0, 0];
    for (let c = 0; c < k; c++) for (let ch = 0; ch < 3; ch++) rgb[ch] += resp[i * k + c] * palette[c][ch];
    return rgb.map(Math.round) as [number, number, number];
  });
}

export function rgbToHex(rgb: [number, number, number]): string {
  return "#" + rgb.map((v) => v.toString(16).padStart(2, "0")).join("");
}

/** The 2×2 covariance of columns a and b. */
export function projectCovariance(cov: number[][], a: number, b: number): [[number, number], [number, number]] {
  return [[cov[a][a], cov[a][b]], [cov[b][a], cov[b][b]]];
}

/** Points on the n-σ ellipse of a 2×2 covariance around `mean`. */
export function ellipsePoints(mean: [number, number], cov: [[number, number], [number, number]], sigmas: number, steps = 72): [number, number][] {
  const { values, vectors } = symmetricEigen(cov);
  const r = [Math.sqrt(Math.max(values[0], 0)) * sigmas, Math.sqrt(Math.max(values[1], 0)) * sigmas];
  const out: [number, number][] = [];
  for (let s = 0; s <= steps; s++) {
    const t = (2 * Math.PI * s) / steps;
    const a = r[0] * Math.cos(t), b = r[1] * Math.sin(t);
    out.push([mean[0] + a * vectors.get(0, 0) + b * vectors.get(0, 1), mean[1] + a * vectors.get(1, 0) + b * vectors.get(1, 1)]);
  }
  return out;
}
