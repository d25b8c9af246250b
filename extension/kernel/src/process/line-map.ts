/**
 * Maps lines of the JavaScript that tslab emits for a cell back to the cell's TypeScript lines.
 * tslab runs cells without source maps (its compiler options are fixed), so we align the two texts instead:
 * emitted statements keep their identifiers and literals in order, so a monotone alignment that maximises token
 * overlap finds the source line of each emitted line. Lines tslab adds (exports bookkeeping) match nothing.
 */
const TOKEN = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?(?:e[+-]?\d+)?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|[^\s\w]/g;
const BOOKKEEPING = new Set(["exports", "tsLastExpr", "__esModule", "defineProperty", "Object", "void", "require", "__tslab__"]);

function tokens(line: string): string[] {
  return (line.match(TOKEN) ?? []).filter((t) => !BOOKKEEPING.has(t) && !/^[;,(){}.=]$/.test(t)).map((t) => t.replace(/^'(.*)'$/, '"$1"'));
}

function overlap(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of b) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of a) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  return common / Math.max(a.length, 1);
}

/** For each emitted line (0-based), the 0-based source line it came from, or -1. */
export function alignLines(emitted: string, source: string): number[] {
  const js = emitted.split("\n").map(tokens);
  const ts = source.split("\n").map(tokens);
  const m = js.length, n = ts.length;
  if (n === 0) return js.map(() => -1);
  // score[j][s]: best total for js[0..j] with js[j] mapped to ts[s]; mapping never goes backwards.
  const score: Float64Array[] = [];
  const from: Int32Array[] = [];
  for (let j = 0; j < m; j++) {
    score.push(new Float64Array(n));
    from.push(new Int32Array(n));
    let bestPrev = 0, bestPrevAt = 0;
    for (let s = 0; s < n; s++) {
      if (j > 0 && score[j - 1][s] > bestPrev) {
        bestPrev = score[j - 1][s];
        bestPrevAt = s;
      }
      score[j][s] = overlap(js[j], ts[s]) + (j > 0 ? bestPrev : 0);
      from[j][s] = bestPrevAt;
    }
  }
  const result = new Array<number>(m).fill(-1);
  let s = 0;
  for (let t = 1; t < n; t++) if (score[m - 1][t] > score[m - 1][s]) s = t;
  for (let j = m - 1; j >= 0; j--) {
    result[j] = overlap(js[j], ts[s]) > 0 ? s : -1;
    s = from[j][s];
  }
  return result;
}
