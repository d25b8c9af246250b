/** The shipped job's helper: lower-case words of letters and digits. */
exports.words = (line) => String(line).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
