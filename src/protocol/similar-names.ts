// "Did you mean": which known name a misspelt one was meant to be. The server suggests action
// names in its UNKNOWN_ACTION message, and `pkt run` suggests field flags; both use this, so
// a typo is judged the same way on both sides.

export interface NameDistance {
  name: string;
  /** Edits (insert, delete, replace one character) between the two names, case ignored. */
  distance: number;
}

/** The Levenshtein distance: fewest single-character edits that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  // Two rows of the table are enough: each row is computed from the one above it.
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The most edits a misspelling of `name` may be from a known name to be suggested: two, or a
 * third of its length for long names. Any further and the suggestion is more noise than help.
 */
export function suggestionLimit(name: string): number {
  return Math.max(2, Math.floor(name.length / 3));
}

/** Every candidate with its distance from `name` (case ignored), closest first; ties keep the given order. */
export function rankNames(name: string, candidates: readonly string[]): NameDistance[] {
  const wanted = name.toLowerCase();
  return candidates
    .map((candidate) => ({ name: candidate, distance: editDistance(wanted, candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance);
}

/** The candidate closest to `name` when it is within `suggestionLimit(name)`; the first of equals wins. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const best = rankNames(name, candidates)[0];
  return best !== undefined && best.distance <= suggestionLimit(name) ? best.name : undefined;
}
