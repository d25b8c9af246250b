/**
 * Every error the library throws on bad input is an MlLabError, so a notebook cell can tell
 * "you passed something wrong" apart from a bug. Messages name the argument and the fix.
 */
export class MlLabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Wrong dimensions: ragged rows, mismatched lengths, a matrix where a vector was expected. */
export class ShapeError extends MlLabError {}

/** NaN or ±Infinity where finite numbers are required. */
export class NonFiniteError extends MlLabError {}

/** A value of the wrong type: a string, boolean or object where a number, an array or a function is required. */
export class DataTypeError extends MlLabError {}

/** An option or argument outside its valid range (k > n, negative weights, unknown init, …). */
export class InvalidArgumentError extends MlLabError {}

/** A model used before `fit`: one message for every estimator, "… is not fitted yet; call fit(X) first". */
export class NotFittedError extends MlLabError {}

/**
 * Finite input whose result lies outside float64's range (beyond ±1.8e308), such as the inertia of rows of ±1e200:
 * reported instead of returning ±Infinity. The message says how large the result is and how to rescale.
 */
export class NumericRangeError extends MlLabError {}

/** A covariance (or other symmetric matrix) that is not positive definite, even after regularisation. */
export class NotPositiveDefiniteError extends MlLabError {}

/** A square system with no unique solution. */
export class SingularMatrixError extends MlLabError {}

/** A data file that is missing, unreadable or not in the expected format. */
export class DataFileError extends MlLabError {}
