/** A count and its noun, singular for exactly one: `1 warning`, `2 warnings`, `1.5 minutes`. */
export const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
