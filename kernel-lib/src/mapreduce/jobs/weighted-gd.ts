/**
 * The w261 HW6 homework's weighted OLS gradient as a MapReduce job: each mapper keeps partial sums of the weighted gradient
 * over its lines ("x,y", weight |1/x|) and emits them once from mapperFinal; a combiner and the single reducer add
 * them up. One job run is one gradient-descent iteration; `weightedGDUpdate` is the driver's step.
 */
import { MapReduceError } from "../errors";
import { defineJob } from "../job";

export interface WeightedGDParams {
  /** [intercept, slope] the gradient is taken at. */
  coef: [number, number];
}

/** The reducer's output: the gradient of ½ Σ w r² / Σ w, the loss, and the totals. */
export interface WeightedGDGradient {
  gradient: [number, number];
  loss: number;
  weight: number;
  count: number;
}

type Partial = [number, number, number, number, number]; // Σ w r, Σ w r x, Σ w, Σ w r², n

function add(values: unknown[]): Partial {
  const total: Partial = [0, 0, 0, 0, 0];
  for (const v of values as Partial[]) for (let j = 0; j < 5; j++) total[j] += v[j];
  return total;
}

export default defineJob<WeightedGDParams>({
  name: "weighted-ols-gradient",
  steps: (params) => {
    const coef = params?.coef;
    if (!Array.isArray(coef) || coef.length !== 2 || !coef.every(Number.isFinite)) {
      throw new MapReduceError(`the weighted-gd job needs params { coef: [intercept, slope] } with two finite numbers, got ${JSON.stringify(params)}`);
    }
    const partial: Partial = [0, 0, 0, 0, 0];
    return [
      {
        mapper(_key, line) {
          const fields = String(line).split(",");
          const x = Number(fields[0]), y = Number(fields[1]);
          if (fields.length !== 2 || !Number.isFinite(x) || !Number.isFinite(y)) throw new Error('expected "x,y" with two finite numbers');
          if (x === 0) throw new Error("x = 0 has an infinite weight |1/x|");
          const w = Math.abs(1 / x);
          const r = coef[0] + coef[1] * x - y;
          partial[0] += w * r;
          partial[1] += w * r * x;
          partial[2] += w;
          partial[3] += w * r * r;
          partial[4] += 1;
        },
        mapperFinal(ctx) {
          ctx.increment("weighted-ols", "points", partial[4]);
          return [[null, partial]];
        },
        combiner: (key, values) => [[key, add(values)]],
        reducer(_key, values) {
          const [gr, grx, w, rr, n] = add(values);
          if (!(w > 0)) throw new Error("no input points");
          const out: WeightedGDGradient = { gradient: [gr / w, grx / w], loss: (0.5 * rr) / w, weight: w, count: n };
          return [["gradient", out]];
        },
      },
    ];
  },
});

/** One gradient-descent step from the job's output. */
export function weightedGDUpdate(coef: [number, number], result: WeightedGDGradient, learningRate: number): [number, number] {
  return [coef[0] - learningRate * result.gradient[0], coef[1] - learningRate * result.gradient[1]];
}
