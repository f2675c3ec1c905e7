// String orders tags are compared by: plain code point order, and natural order (digit runs as numbers).

/** Orders by Unicode code point (not UTF-16 unit, which puts characters past U+FFFF before U+E000–U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const [left, right] = [a.charCodeAt(i), b.charCodeAt(i)];
    if (left === right) continue;
    const surrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff;
    return surrogate(left) || surrogate(right)
      ? Math.sign(a.codePointAt(i)! - b.codePointAt(i)!)
      : Math.sign(left - right);
  }
  return Math.sign(a.length - b.length);
}

const CHUNKS = /\d+|\D+/g;

/** Compares two runs of digits by value without limits on their length ("010" equals "10"). */
export function compareDigits(a: string, b: string): number {
  const left = a.replace(/^0+(?=\d)/, '');
  const right = b.replace(/^0+(?=\d)/, '');
  if (left.length !== right.length) return Math.sign(left.length - right.length);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Natural order: "rc9" < "rc10"; runs of digits compare as numbers, everything else by code point. */
export function compareNatural(a: string, b: string): number {
  const left = a.match(CHUNKS) ?? [];
  const right = b.match(CHUNKS) ?? [];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const bothDigits = /^\d/.test(left[i]) && /^\d/.test(right[i]);
    const order = bothDigits ? compareDigits(left[i], right[i]) : compareCodePoints(left[i], right[i]);
    if (order !== 0) return order;
  }
  // equal by value ("rc09" vs "rc9"): fall back to code points so the order stays total
  return Math.sign(left.length - right.length) || compareCodePoints(a, b);
}
