// Checks of generator options: each failure names the option and what to pass instead.
import { BerthError } from '../../../errors';

export function optionError(option: string, problem: string, fix: string): BerthError {
  return new BerthError(problem, { field: `--${option}`, fix });
}

export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}
