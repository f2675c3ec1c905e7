// Durations as env.yaml writes them (30m, 2h, 1d, 1h30m) and as messages print them: pure.

const UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };
const DURATION = /^(\d+[dhms])+$/;

/** Milliseconds of "1d", "2h", "30m", "45s" or a sum such as "1h30m"; undefined when the text is not one, or is zero. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([dhms])/g)) total += Number(amount) * UNITS[unit];
  return total > 0 ? total : undefined;
}

/** "1d 2h", "45m", "1m 30s": the two largest units, rounded up to the smaller one, so a wait is never understated. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const exact = Math.ceil(ms / 1000);
  const step = exact >= 86_400 ? 3_600 : exact >= 3_600 ? 60 : 1;
  const seconds = Math.ceil(exact / step) * step;
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3_600), 'h'],
    [Math.floor((seconds % 3_600) / 60), 'm'],
    [seconds % 60, 's'],
  ];
  const first = parts.findIndex(([amount]) => amount > 0);
  return parts
    .slice(first, first + 2)
    .filter(([amount]) => amount > 0)
    .map(([amount, unit]) => `${amount}${unit}`)
    .join(' ');
}
