import { DataTypeError, InvalidArgumentError, NonFiniteError, ShapeError } from "../errors";

export type FloatArray = Float64Array | Float32Array;

/** Anything the library accepts where it needs a matrix: a Matrix, or rows as arrays. */
export type MatrixLike = Matrix | ReadonlyArray<ArrayLike<number>>;

/** Anything the library accepts where it needs a vector. */
export type VectorLike = ArrayLike<number>;

/** A dense, row-major matrix over a flat typed array: element (i, j) is data[i * cols + j]. */
export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: FloatArray;

  constructor(rows: number, cols: number, data?: FloatArray) {
    checkDimensions(rows, cols);
    if (data === undefined) data = new Float64Array(rows * cols);
    else if (!isFloatArray(data)) {
      throw new DataTypeError(
        `Matrix data must be a Float64Array or Float32Array, got ${describe(data)}; use Matrix.fromRows(rows), or new Matrix(${rows}, ${cols}, Float64Array.from(values))`,
      );
    }
    if (data.length !== rows * cols) {
      throw new ShapeError(`Matrix data has ${data.length} values but ${rows}×${cols} needs ${rows * cols}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  static zeros(rows: number, cols: number, dtype: "float64" | "float32" = "float64"): Matrix {
    checkDimensions(rows, cols);
    if (dtype !== "float64" && dtype !== "float32") throw new InvalidArgumentError(`dtype must be "float64" or "float32", got ${describe(dtype)}`);
    const data = dtype === "float32" ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
    return new Matrix(rows, cols, data);
  }

  static identity(n: number): Matrix {
    checkDimensions(n, n);
    const m = Matrix.zeros(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /** Copies rows given as arrays (all of one length, numbers only) into a new float64 matrix. */
  static fromRows(rows: ReadonlyArray<ArrayLike<number>>, name = "rows"): Matrix {
    if (!Array.isArray(rows)) throw new DataTypeError(`${name} must be an array of rows, got ${describe(rows)}`);
    const n = rows.length;
    const d = n > 0 ? rowLength(rows[0], 0, name) : 0;
    const m = Matrix.zeros(n, d);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      const length = rowLength(row, i, name);
      if (length !== d) throw new ShapeError(`${name} is ragged: row 0 has ${d} values but row ${i} has ${length}`);
      if (isNumericArray(row)) {
        m.data.set(row as ArrayLike<number>, i * d);
        continue;
      }
      for (let j = 0; j < d; j++) {
        const v = row[j];
        if (typeof v !== "number") throw notANumber(v, `${name}[${i}][${j}]`);
        m.data[i * d + j] = v;
      }
    }
    return m;
  }

  /** A column vector (n×1) from a flat list of numbers. */
  static column(values: VectorLike): Matrix {
    const v = toVector(values, "values");
    return new Matrix(v.length, 1, Float64Array.from(v));
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  get(i: number, j: number): number {
    this.checkIndex(i, j);
    return this.data[i * this.cols + j];
  }

  set(i: number, j: number, value: number): void {
    this.checkIndex(i, j);
    if (typeof value !== "number") throw new DataTypeError(`set(${i}, ${j}, value): value must be a number, got ${describe(value)}`);
    this.data[i * this.cols + j] = value;
  }

  /** A view (no copy) of row i. */
  row(i: number): FloatArray {
    if (!(Number.isInteger(i) && i >= 0 && i < this.rows)) throw new InvalidArgumentError(`row ${describe(i)} is outside this ${this.rows}×${this.cols} matrix; rows go from 0 to ${this.rows - 1}`);
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  /** A copy of column j. */
  column(j: number): Float64Array {
    if (!(Number.isInteger(j) && j >= 0 && j < this.cols)) throw new InvalidArgumentError(`column ${describe(j)} is outside this ${this.rows}×${this.cols} matrix; columns go from 0 to ${this.cols - 1}`);
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

  private checkIndex(i: number, j: number): void {
    if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0 && i < this.rows && j < this.cols)) {
      throw new InvalidArgumentError(`index (${describe(i)}, ${describe(j)}) is outside this ${this.rows}×${this.cols} matrix`);
    }
  }
}

/** Converts without copying when given a Matrix; rows as arrays are copied. */
export function toMatrix(x: MatrixLike, name = "X"): Matrix {
  if (x instanceof Matrix) return checkIntact(x, name);
  if (!Array.isArray(x)) {
    throw new DataTypeError(`${name} must be a Matrix or an array of rows, got ${describe(x)}`);
  }
  if (x.length > 0 && typeof x[0] === "number") {
    throw new ShapeError(`${name} must be 2-D (an array of rows); got a flat array of numbers. Wrap 1-D data with Matrix.column(values).`);
  }
  return Matrix.fromRows(x, name);
}

/** A Float64Array of the numbers in `x` (no copy when it is one already); strings, booleans and the like are refused. */
export function toVector(x: VectorLike, name = "vector"): Float64Array {
  if (x instanceof Float64Array) return x;
  if (isNumericArray(x)) return Float64Array.from(x as ArrayLike<number>);
  if (x == null || typeof x !== "object" || typeof x.length !== "number" || ArrayBuffer.isView(x)) {
    throw new DataTypeError(`${name} must be an array of numbers, got ${describe(x)}`);
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== "number") throw notANumber(v, `${name}[${i}]`);
    out[i] = v;
  }
  return out;
}

/** The first non-finite entry of `values`, as an index, or -1. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/**
 * The largest magnitude in `values`, or -(index + 1) of the first NaN or ±Infinity: one pass that both validates and
 * tells callers whether the values need rescaling to stay inside float64's range.
 */
export function finiteMaxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > max) {
      if (a === Infinity) return -(i + 1);
      max = a;
    } else if (a !== a) return -(i + 1);
  }
  return max;
}

/** Throws NonFiniteError naming the first NaN or ±Infinity (row and column); returns the largest magnitude. */
export function assertFiniteMatrix(m: Matrix, name: string): number {
  const max = finiteMaxAbs(m.data);
  if (max < 0) {
    const at = -max - 1;
    throw new NonFiniteError(`${name} contains ${m.data[at]} at row ${Math.floor(at / m.cols)}, column ${at % m.cols}; remove or impute non-finite values first`);
  }
  return max;
}

/** Throws NonFiniteError naming the first NaN or ±Infinity; returns the largest magnitude. */
export function assertFiniteVector(v: ArrayLike<number>, name: string): number {
  const max = finiteMaxAbs(v);
  if (max < 0) throw new NonFiniteError(`${name} contains ${v[-max - 1]} at index ${-max - 1}; all values must be finite`);
  return max;
}

/**
 * A Matrix is a plain object whose fields a cell could overwrite (m.rows = 5); every use re-checks that its shape and
 * data still agree, in O(1), so a tampered matrix is refused instead of read past its end.
 */
function checkIntact(m: Matrix, name: string): Matrix {
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 0 || m.cols < 0 || !isFloatArray(m.data) || m.data.length !== m.rows * m.cols) {
    throw new ShapeError(
      `${name} is a Matrix whose fields no longer agree (rows ${describe(m.rows)}, cols ${describe(m.cols)}, data ${describe(m.data)}${isFloatArray(m.data) ? ` of ${m.data.length} values` : ""}); ` +
        `build a new one with new Matrix(rows, cols, data) instead of changing its fields`,
    );
  }
  return m;
}

function checkDimensions(rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new ShapeError(`Matrix dimensions must be non-negative integers, got ${describe(rows)}×${describe(cols)}`);
  }
}

function isFloatArray(x: unknown): x is FloatArray {
  return x instanceof Float64Array || x instanceof Float32Array;
}

/** Typed arrays of numbers (not BigInt64Array): every element is a number by construction. */
function isNumericArray(x: unknown): boolean {
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array);
}

function rowLength(row: unknown, i: number, name: string): number {
  if (row == null || typeof row !== "object" || typeof (row as ArrayLike<unknown>).length !== "number" || (ArrayBuffer.isView(row) && !isNumericArray(row))) {
    throw new DataTypeError(`${name}[${i}] must be an array of numbers (a row), got ${describe(row)}`);
  }
  return (row as ArrayLike<unknown>).length;
}

/** A string such as "1", a boolean or null where a number belongs is refused, never coerced. */
function notANumber(v: unknown, where: string): DataTypeError {
  const hint = typeof v === "string" ? "; convert such values with Number(value) first (readCsv + tableToMatrix do this for files)" : "; data must hold numbers only";
  return new DataTypeError(`${where} is ${describe(v)}, not a number${hint}`);
}

/** A short description of a value for error messages: its type, and the value itself when that is short. */
export function describe(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  switch (typeof x) {
    case "number":
      return String(x);
    case "string":
      return `the string ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)}`;
    case "boolean":
      return `the boolean ${x}`;
    case "bigint":
      return `the bigint ${x}n`;
    case "function":
      return "a function";
    case "object":
      return (x as object).constructor?.name ? `a ${(x as object).constructor.name}` : "an object";
    default:
      return typeof x;
  }
}
