// Reading tags as semantic versions the lenient way registries need (v1.2, 1.4), constraints, and version order.
import { Range, SemVer } from 'semver';
import { compareNatural } from './order';

/**
 * What image tags are read as versions: an optional leading v, one to three numeric parts (missing ones are 0),
 * an optional pre-release and build. Anything else ("1.0.0.1", "1.0.0p", "latest") is not a version.
 */
const LENIENT_VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** The version a tag names, or null when it names none. */
export function readVersion(text: string): SemVer | null {
  const match = LENIENT_VERSION.exec(text);
  if (!match) return null;
  const [, major, minor = '0', patch = '0', prerelease = '', build = ''] = match;
  const number = (digits: string) => digits.replace(/^0+(?=\d)/, '');
  try {
    // SemVer itself rejects what the pattern lets through but the spec does not: empty or zero-padded pre-release identifiers, numbers past 2^53
    return new SemVer(`${number(major)}.${number(minor)}.${number(patch)}${prerelease}${build}`);
  } catch {
    return null;
  }
}

export interface Constraint {
  text: string;
  range: Range;
  /** Whether pre-release versions can satisfy it: only when the constraint itself names a pre-release. */
  allowsPrerelease: boolean;
}

/** A version token in a constraint that carries a pre-release, e.g. ">=1.0.0-0" or "^2.0.0-rc.1" (not the " - " of a hyphen range). */
const PRERELEASE_IN_CONSTRAINT = /(?:^|[\s,|<>=~^v])[0-9xX*]+(?:\.[0-9xX*]+){0,2}-[0-9A-Za-z]/;

/**
 * Parses a semver range; throws semver's TypeError when it is not one. Commas are accepted as "and" (the Go
 * libraries Flux and Argo CD use write ">=1.0, <2.0"). A range that names a pre-release admits pre-releases anywhere
 * in it (node-semver's includePrerelease), so ">=1.0.0-0" takes 1.0.1-rc.10.
 */
export function readConstraint(text: string): Constraint {
  const normalized = text.replace(/\s*,\s*/g, ' ').trim();
  if (normalized === '') throw new TypeError('Invalid range: empty');
  const allowsPrerelease = PRERELEASE_IN_CONSTRAINT.test(normalized);
  return { text, range: new Range(normalized, { includePrerelease: allowsPrerelease }), allowsPrerelease };
}

/** Pre-release identifiers in natural order: numbers by value, numbers before words (as the spec says), words naturally. */
function comparePrereleaseNaturally(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  if (a.length === 0 || b.length === 0) return Math.sign(b.length - a.length); // a release outranks its pre-releases
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [left, right] = [a[i], b[i]];
    const order =
      typeof left === 'number' && typeof right === 'number'
        ? Math.sign(left - right)
        : typeof left === 'number' || typeof right === 'number'
          ? typeof left === 'number'
            ? -1
            : 1
          : compareNatural(left, right);
    if (order !== 0) return order;
  }
  return Math.sign(a.length - b.length);
}

/** Version precedence (semver spec, or natural pre-release order when asked), then build metadata so the order is total. */
export function compareVersions(a: SemVer, b: SemVer, naturalPrerelease = false): number {
  const main = a.compareMain(b);
  if (main !== 0) return main;
  const prerelease = naturalPrerelease ? comparePrereleaseNaturally(a.prerelease, b.prerelease) : a.comparePre(b);
  return prerelease !== 0 ? prerelease : a.compareBuild(b);
}
