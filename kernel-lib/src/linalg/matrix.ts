import { NonFiniteError, ShapeError } from "../errors";

export type FloatArray = Float64Array | Float32Array;

/** Anything the library accepts where it needs a matrix: a Matrix, or rows as arrays. */
export type MatrixLike = Matrix | ReadonlyArray<ArrayLike<number>>;

/** Anything the library accepts where it needs a vector. */
export type VectorLike = ArrayLike<number>;

/** A dense, row-major matrix over a flat typed array: element (i, j) is data[i * cols + j]. */
export class Matrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: FloatArray = new Float64Array(rows * cols),
  ) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError(`Matrix dimensions must be non-negative integers, got ${rows}×${cols}`);
    }
    if (data.length !== rows * cols) {
      throw new ShapeError(`Matrix data has ${data.length} values but ${rows}×${cols} needs ${rows * cols}`);
    }
  }

  static zeros(rows: number, cols: number, dtype: "float64" | "float32" = "float64"): Matrix {
    const data = dtype === "float32" ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
    return new Matrix(rows, cols, data);
  }

  static identity(n: number): Matrix {
    const m = Matrix.zeros(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /** Copies rows given as arrays (all of one length) into a new float64 matrix. */
  static fromRows(rows: ReadonlyArray<ArrayLike<number>>, name = "rows"): Matrix {
    const n = rows.length;
    const d = n > 0 ? rows[0].length : 0;
    const m = Matrix.zeros(n, d);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (row == null || row.length !== d) {
        throw new ShapeError(`${name} is ragged: row 0 has ${d} values but row ${i} has ${row == null ? "none" : row.length}`);
      }
      for (let j = 0; j < d; j++) m.data[i * d + j] = row[j];
    }
    return m;
  }

  /** A column vector (n×1) from a flat list of numbers. */
  static column(values: VectorLike): Matrix {
    return new Matrix(values.length, 1, Float64Array.from(values));
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j];
  }

  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }

  /** A view (no copy) of row i. */
  row(i: number): FloatArray {
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  /** A copy of column j. */
  column(j: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j];
    return out;
  }

  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** Rows picked by index, copied into a new matrix of the same element type. */
  selectRows(indices: ArrayLike<number>): Matrix {
    const out = new Matrix(indices.length, this.cols, new (this.data.constructor as Float64ArrayConstructor)(indices.length * this.cols));
    for (let r = 0; r < indices.length; r++) out.data.set(this.row(indices[r]), r * this.cols);
    return out;
  }

  toFloat64(): Matrix {
    return this.data instanceof Float64Array ? this : new Matrix(this.rows, this.cols, Float64Array.from(this.data));
  }

  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }

  toString(): string {
    return `Matrix ${this.rows}×${this.cols}`;
  }
}

/** Converts without copying when given a Matrix; rows as arrays are copied. */
export function toMatrix(x: MatrixLike, name = "X"): Matrix {
  if (x instanceof Matrix) return x;
  if (!Array.isArray(x)) {
    throw new ShapeError(`${name} must be a Matrix or an array of rows, got ${describe(x)}`);
  }
  if (x.length > 0 && typeof x[0] === "number") {
    throw new ShapeError(`${name} must be 2-D (an array of rows); got a flat array of numbers. Wrap 1-D data with Matrix.column(values).`);
  }
  return Matrix.fromRows(x, name);
}

export function toVector(x: VectorLike, name = "vector"): Float64Array {
  if (x instanceof Float64Array) return x;
  if (x == null || typeof x.length !== "number") {
    throw new ShapeError(`${name} must be an array of numbers, got ${describe(x)}`);
  }
  return Float64Array.from(x);
}

/** The first non-finite entry of `values`, as an index, or -1. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

export function assertFiniteMatrix(m: Matrix, name: string): void {
  const at = firstNonFinite(m.data);
  if (at >= 0) {
    const i = Math.floor(at / m.cols), j = at % m.cols;
    throw new NonFiniteError(`${name} contains ${m.data[at]} at row ${i}, column ${j}; remove or impute non-finite values first`);
  }
}

export function assertFiniteVector(v: ArrayLike<number>, name: string): void {
  const at = firstNonFinite(v);
  if (at >= 0) throw new NonFiniteError(`${name} contains ${v[at]} at index ${at}; all values must be finite`);
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return typeof x === "object" ? (x as object).constructor?.name ?? "an object" : typeof x;
}
