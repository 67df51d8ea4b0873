/** "Did you mean …?" for a mistyped option or environment variable. */

/**
 * The candidate closest to `input` (ignoring case and `_`), or `null` when none is close: at most two edits,
 * or a quarter of the length for long names.
 */
export function closest(input: string, candidates: readonly string[]): string | null {
  const wanted = fold(input);
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(wanted.length / 4)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, fold(candidate), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `SECURITY_TWO_FACTOR_REQUIRED` → `twoFactorRequired`. */
export function optionNameOf(envName: string): string {
  return envName
    .replace(/^SECURITY_/, '')
    .toLowerCase()
    .replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** `twoFactorRequired` → `SECURITY_TWO_FACTOR_REQUIRED`. */
export function envNameOf(optionName: string): string {
  return `SECURITY_${optionName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

function fold(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_value, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length] as number, limit);
}
