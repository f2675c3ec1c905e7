// Reading tags as decimal numbers and ordering them exactly, however many digits a build number has.
import { compareDigits } from './order';

/** A decimal number as digits × 10^exponent, so long build numbers and timestamps compare without rounding. */
export interface DecimalNumber {
  negative: boolean;
  /** Significant digits, no leading or trailing zeros; empty for zero. */
  digits: string;
  exponent: number;
}

const DECIMAL = /^([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d{1,6}))?$/;

/** The number a tag names ("42", "-7", "1.5", "2e3"), or null when it is not a number. */
export function readNumber(text: string): DecimalNumber | null {
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, sign, whole = '', fraction = match[4] ?? '', , exponent = '0'] = match;
  const all = `${whole}${fraction}`;
  const digits = all.replace(/^0+/, '').replace(/0+$/, '');
  if (digits === '') return { negative: false, digits: '', exponent: 0 };
  const trailingZeros = all.length - all.replace(/0+$/, '').length;
  return { negative: sign === '-', digits, exponent: Number(exponent) - fraction.length + trailingZeros };
}

function compareMagnitudes(a: DecimalNumber, b: DecimalNumber): number {
  if (a.digits === '' || b.digits === '') return Math.sign(a.digits.length - b.digits.length);
  // the position of the leading digit decides first, then the digits themselves
  const scale = a.digits.length + a.exponent - (b.digits.length + b.exponent);
  if (scale !== 0) return Math.sign(scale);
  const width = Math.max(a.digits.length, b.digits.length);
  return compareDigits(a.digits.padEnd(width, '0'), b.digits.padEnd(width, '0'));
}

export function compareNumbers(a: DecimalNumber, b: DecimalNumber): number {
  const sign = (n: DecimalNumber) => (n.digits === '' ? 0 : n.negative ? -1 : 1);
  if (sign(a) !== sign(b)) return Math.sign(sign(a) - sign(b));
  return sign(a) * compareMagnitudes(a, b);
}
