/**
 * "did you mean": the one edit distance and the one closest-candidate rule of
 * cachestack, shared by the config diagnostics (unknown keys, names that refer
 * to nothing) and the CLI (commands, flags, flag values), so that a typo gets
 * the same hint wherever it is made.
 */

/**
 * Levenshtein distance (insert, delete, substitute) with a swap of two adjacent
 * characters counted as one edit (optimal string alignment), so `cahce` is one
 * edit from `cache`. Case-sensitive.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], before[j - 2] + 1);
    }
    before = prev;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate a typo most likely meant, or `undefined` when none is close.
 * Close = same letters ignoring case, or an edit distance (ignoring case) of at
 * most a third of the longer name (at least 1, at most 3). The value itself is
 * never suggested. Ties go to the first candidate in sorted order, so the hint
 * is deterministic.
 */
export function closest(value: string, candidates: Iterable<string>): string | undefined {
  const lower = value.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of [...new Set(candidates)].sort()) {
    if (c === value) continue;
    const score = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(c.length, value.length) / 3)));
    if (score <= limit && score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
