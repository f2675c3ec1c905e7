// Parses a WWW-Authenticate header into its challenges (RFC 9110 §11.6.1); pure.

export interface Challenge {
  /** Lower-cased: `basic`, `bearer`, ... */
  scheme: string;
  /** Parameter names lower-cased, values unquoted: realm, service, scope, error. */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;

function tokenAt(text: string, index: number): string | undefined {
  TOKEN.lastIndex = index;
  return TOKEN.exec(text)?.[0];
}

function skip(text: string, index: number, characters: string): number {
  while (index < text.length && characters.includes(text[index])) index += 1;
  return index;
}

function quotedAt(text: string, index: number): { value: string; end: number } {
  let value = '';
  let i = index + 1;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\\' && i + 1 < text.length) i += 1;
    value += text[i];
    i += 1;
  }
  return { value, end: i + 1 };
}

export function parseChallenges(header: string | null | undefined): Challenge[] {
  const challenges: Challenge[] = [];
  if (!header) return challenges;
  let current: Challenge | undefined;
  let i = 0;
  while (i < header.length) {
    i = skip(header, i, ' \t,');
    const name = tokenAt(header, i);
    if (!name) break;
    const afterName = skip(header, i + name.length, ' \t');
    if (current && header[afterName] === '=') {
      const valueStart = skip(header, afterName + 1, ' \t');
      if (header[valueStart] === '"') {
        const quoted = quotedAt(header, valueStart);
        current.params[name.toLowerCase()] = quoted.value;
        i = quoted.end;
      } else {
        const value = tokenAt(header, valueStart) ?? '';
        current.params[name.toLowerCase()] = value;
        i = valueStart + value.length;
      }
    } else {
      current = { scheme: name.toLowerCase(), params: {} };
      challenges.push(current);
      i += name.length;
    }
  }
  return challenges;
}
