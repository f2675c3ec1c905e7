// Reads the fields of one workspace file, turning every problem into a BerthError naming file, field and fix.
import { BerthError } from '../errors';

export type Fields = Record<string, unknown>;

/** Reads fields of one file, turning every problem into an error naming file, field and fix. */
export class FieldReader {
  constructor(
    readonly file: string,
    readonly data: Fields,
  ) {}

  fail(field: string, problem: string, fix: string): never {
    throw new BerthError(problem, { file: this.file, field, fix });
  }

  get(field: string): unknown {
    return field
      .split('.')
      .reduce<unknown>(
        (value, key) => (value && typeof value === 'object' ? (value as Fields)[key] : undefined),
        this.data,
      );
  }

  string(field: string, fix: string, fallback?: string): string {
    const value = this.get(field) ?? fallback;
    if (typeof value !== 'string' || value === '')
      this.fail(field, `must be a non-empty string (found ${JSON.stringify(value)}).`, fix);
    return value;
  }

  optionalString(field: string, fix: string): string | undefined {
    const value = this.get(field);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(field, `must be a string (found ${JSON.stringify(value)}).`, fix);
    return value;
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.get(field) ?? fallback;
    if (typeof value !== 'boolean')
      this.fail(field, `must be true or false (found ${JSON.stringify(value)}).`, 'write true or false.');
    return value;
  }

  strings(field: string, fix: string, fallback: string[] = []): string[] {
    const value = this.get(field) ?? fallback;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      this.fail(field, `must be a list of strings (found ${JSON.stringify(value)}).`, fix);
    }
    return value;
  }

  mapping(field: string): Fields {
    const value = this.get(field) ?? {};
    if (typeof value !== 'object' || Array.isArray(value))
      this.fail(field, 'must be a mapping.', 'write key: value pairs under it, or {}.');
    return value as Fields;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], fallback?: T): T {
    const value = this.get(field) ?? fallback;
    if (!allowed.includes(value as T)) {
      this.fail(
        field,
        `must be one of ${allowed.join(', ')} (found ${JSON.stringify(value)}).`,
        `set it to one of: ${allowed.join(', ')}.`,
      );
    }
    return value as T;
  }
}
