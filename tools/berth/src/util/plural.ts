// Counts in prose: "1 Application", "2 Applications"; every message berth prints with a count goes through here.

/** `count` and the noun in the number it needs; irregular plurals are passed (`plural(n, 'entry', 'entries')`). */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
