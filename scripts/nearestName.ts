// "Did you mean": the names nearest a mistyped one, by the rule commander suggests commands and flags with.

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`: optimal string alignment. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * The `candidates` nearest `name`, sorted: those fewest edits away, at most 2, sharing more than 40% of the
 * longer name's length (commander's rule for its own "Did you mean", lib/suggestSimilar.js). None when
 * nothing is that near.
 */
export function nearestNames(name: string, candidates: readonly string[]): string[] {
  let best = 3;
  let nearest: string[] = [];
  for (const candidate of new Set(candidates)) {
    const distance = editDistance(name, candidate);
    const length = Math.max(name.length, candidate.length);
    if (candidate.length <= 1 || (length - distance) / length <= 0.4 || distance > best) continue;
    nearest = distance < best ? [candidate] : [...nearest, candidate];
    best = distance;
  }
  return nearest.sort((a, b) => a.localeCompare(b));
}

/** `; did you mean 'prod'?` (or `'a' or 'b'`) for the names nearest `name`; empty when none is near. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const nearest = nearestNames(name, candidates).map((candidate) => `'${candidate}'`);
  return nearest.length === 0 ? "" : `; did you mean ${nearest.join(" or ")}?`;
}
