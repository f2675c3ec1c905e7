// "Did you mean ...?": the known name closest to a misspelt one, by edit distance (a swap of two letters counts once).

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1 each. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate nearest to `word`, or undefined when none is near enough to be what the user meant: at most a third
 * of the word's letters may differ (at least one), and a tie between two equally near names suggests neither.
 * Case is ignored for the distance, so `ClusterIp` finds `ClusterIP`.
 */
export function nearestName(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: { name: string; distance: number } | undefined;
  let tied = false;
  for (const name of new Set(candidates)) {
    if (name === word) continue;
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance > limit) continue;
    if (!best || distance < best.distance) {
      best = { name, distance };
      tied = false;
    } else if (distance === best.distance) tied = true;
  }
  return best && !tied ? best.name : undefined;
}
