/** A count and its noun, singular for exactly one: `1 warning`, `2 warnings`, `1.5 minutes`, `1 address`. */
export const counted = (n: number, noun: string, plural = `${noun}s`): string => `${n} ${agrees(n, noun, plural)}`;

/** The form of a word that agrees with a count, singular for exactly one: `agrees(groups, 'lets', 'let')`. */
export const agrees = (n: number, one: string, many: string): string => (n === 1 ? one : many);

/** The first few of a list, then how many more: `web-1, web-2, web-3 and 4 more`; labels only those it shows. */
export function firstFew<T>(list: readonly T[], label: (item: T, index: number) => string, shown = 3): string {
  const named = list.slice(0, shown).map(label).join(', ');
  return list.length > shown ? `${named} and ${list.length - shown} more` : named;
}

/**
 * A share as a percentage to `places` places that reads 100 only when it is whole: 1,071 requests
 * failed of 27 million read as 100.00% served, and one second out of SLO in two hours as 100.0%.
 */
export function percentText(pct: number, places: number): string {
  const text = pct.toFixed(places);
  return pct < 100 && Number(text) >= 100 ? `${(100 - 10 ** -places).toFixed(places)}%` : `${text}%`;
}
