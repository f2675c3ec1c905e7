// Terminal output: aligned tables, and progress that shows on a terminal and stays quiet in CI and pipes.

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => (cell ?? '').padEnd(widths[column])).join('  ').trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function progress(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY || process.env.CI) return undefined;
  return (done, total) => {
    process.stderr.write(`\r${label} ${done}/${total}`);
    if (done === total) process.stderr.write('\r\x1b[K');
  };
}
