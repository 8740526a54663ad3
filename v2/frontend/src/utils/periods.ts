/** The periods a selector offers, capped at the retention: a longer one would only draw empty bars. */

/**
 * The `options` up to `retentionDays`, plus `retentionDays` itself (everything kept) when it falls
 * between two of them; never fewer than the smallest option. Unknown retention (still loading):
 * every option.
 */
export function periodsWithin(options: readonly number[], retentionDays: number | undefined): number[] {
  if (retentionDays === undefined) return [...options];
  const smallest = Math.min(...options);
  const kept = options.filter((days) => days <= Math.max(retentionDays, smallest));
  if (retentionDays > smallest && !kept.includes(retentionDays)) kept.push(retentionDays);
  return kept.sort((a, b) => a - b);
}
