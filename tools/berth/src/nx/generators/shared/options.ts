// Checks of generator options: each failure names the option and what to pass instead.
import { BerthError } from '../../../errors';

export function optionError(option: string, problem: string, fix: string, cause?: unknown): BerthError {
  return new BerthError(problem, { field: `--${option}`, fix, cause });
}

export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators: none belongs in a one-line option. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * A free-text option as one line of at most `max` characters; it is written as a YAML string, so it needs no other
 * restriction. Returns undefined when the option was not given.
 */
export function lineOption(option: string, value: unknown, max: number, example: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw optionError(option, `is ${JSON.stringify(value)}, not text.`, `pass --${option} ${example}.`);
  const control = CONTROL.exec(value);
  if (control) {
    const what =
      control[0] === '\n' || control[0] === '\r'
        ? 'a line break'
        : `the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
    throw optionError(
      option,
      `${JSON.stringify(value)} holds ${what}; it must be one line of text.`,
      `pass --${option} ${example}.`,
    );
  }
  if (value.length > max)
    throw optionError(
      option,
      `is ${value.length} characters long; the limit is ${max}.`,
      `pass a shorter value, e.g. --${option} ${example}.`,
    );
  return value;
}

/** One error naming every required option that is missing, or nothing when all are there. */
export function requireOptions(missing: { option: string; example: string }[], why: string): void {
  if (missing.length === 0) return;
  const names = missing.map((entry) => `--${entry.option}`);
  throw new BerthError(`${missing.length === 1 ? 'is' : 'are'} missing: ${why}.`, {
    field: names.join(', '),
    fix: `pass ${missing.map((entry) => `--${entry.option} ${entry.example}`).join(' ')} (run without --no-interactive to be asked for each).`,
  });
}
