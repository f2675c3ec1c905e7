// Recognises credentials in names, values and free text: pure functions shared by validate, settings and commit checks.

/** A credential found in a value or a text: what it is, and where in the text it starts. */
export interface SecretHit {
  /** "an AWS access key id", "a literal value under DB_PASSWORD", ... */
  what: string;
  index: number;
}

/** Values that are credentials whatever name they carry. */
const TOKEN_FORMATS: [RegExp, string][] = [
  [/\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, 'a private key'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{22,}/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\b(?:sk|rk)_live_[0-9A-Za-z]{16,}/, 'a Stripe key'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'a JSON Web Token'],
  // user:password@ in a URL; a password that is only a $(VAR) or ${VAR} reference is filled in at run time
  [/\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@'"]+:(?!\$\(\w+\)@|\$\{\w+\}@)[^/\s@'"]+@/i, 'a URL with a password in it'],
];
/** TOKEN_FORMATS made global once, for the texts scanned for every match. */
const TOKEN_FORMATS_ALL: [RegExp, string][] = TOKEN_FORMATS.map(([pattern, what]) => [
  new RegExp(pattern.source, `${pattern.flags}g`),
  what,
]);
/**
 * What every token format holds literally (its prefix, or `://`): a value without any of these is none of them. A
 * rendered platform has hundreds of thousands of scalars, nearly all of them plain words and numbers.
 */
const MAY_BE_TOKEN =
  /AKIA|ASIA|ABIA|ACCA|-----BEGIN |gh[pousr]_|github_pat_|glpat-|xox[abposr]-|AIza|_live_|npm_|eyJ|:\/\//;
/**
 * What a text needs for secretsInText to find anything: a token format, or the `:` / `=` of an assignment, an AWS key
 * or a URL parameter, or the `--name value` of an option.
 */
const MAY_HOLD_SECRET = new RegExp(`${MAY_BE_TOKEN.source}|[:=]|--[A-Za-z]`);

/** Names of fields, variables and options that hold a credential when they carry a literal value. */
const SECRET_WORDS =
  /^(?:[a-z]*(?:password|passwd|passphrase|pwd)|(?:pg|db|my|sql|mysql|redis|mongo|admin|root|user|app|smtp|ldap|mail)?(?:pass|pw)|[a-z]*(?:secret|token)|credentials?|apikey|privatekey|accesskey|secretkey)$/;
const SECRET_PAIRS =
  /(?:^|_)(?:api_key|private_key|access_key|secret_key|signing_key|encryption_key|auth_key|master_key|client_secret|secret_access_key|secret_key_base)$/;
/** Names whose value names a secret (a Secret object, a key in it, a file) rather than holds one. */
const REFERENCE_NAMES = new Set([
  'existingsecret',
  'secretname',
  'secretref',
  'tokensecretref',
  'secretstore',
  'secretstoreref',
]);
/** A name ending in one of these words is about a secret, not the secret itself: DB_PASSWORD_FILE, TOKEN_TTL. */
const ABOUT_WORDS = new Set([
  'file',
  'path',
  'dir',
  'name',
  'ref',
  'arn',
  'id',
  'url',
  'uri',
  'endpoint',
  'store',
  'kind',
  'type',
  'enabled',
  'length',
  'ttl',
  'expiry',
  'policy',
  'prompt',
  'header',
  'audience',
  'mode',
  'format',
  'env',
  'version',
]);

/** Splits a name into lower-case words: DB_PASSWORD, db-password, dbPassword and db.password all give [db, password]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/** Whether a field, variable or option of this name holds a credential. */
export function isSecretName(name: string): boolean {
  // every word SECRET_WORDS and SECRET_PAIRS accept holds one of these
  if (!/pass|pw|secret|token|credential|key/i.test(name)) return false;
  const words = nameWords(name);
  if (words.length === 0 || REFERENCE_NAMES.has(words.join(''))) return false;
  const last = words.at(-1)!;
  if (ABOUT_WORDS.has(last)) return false;
  return SECRET_WORDS.test(last) || SECRET_PAIRS.test(words.join('_'));
}

/**
 * Values that cannot be a credential however they are named: empty, a switch, or a reference the runtime fills in
 * ($(VAR) by Kubernetes, ${VAR} by a shell or an app, {{ ... }} by a template). A placeholder such as "changeme" is
 * not allowed: it is what the workload would really run with.
 */
export function isReference(value: string): boolean {
  const text = value.trim();
  return (
    text === '' ||
    /^(?:true|false|yes|no|on|off|null|none|~)$/i.test(text) ||
    /^(?:\$\(\w+\)|\$\{[^}]+\}|\{\{.*\}\})$/s.test(text)
  );
}

/** A known credential format in a value, whatever its name. */
export function tokenFormat(value: string): SecretHit | undefined {
  if (!MAY_BE_TOKEN.test(value)) return undefined;
  for (const [pattern, what] of TOKEN_FORMATS) {
    const match = pattern.exec(value);
    if (match) return { what, index: match.index };
  }
  return undefined;
}

/** The problem with a named value, or undefined when it holds no credential. */
export function secretInField(name: string, value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value);
  const format = tokenFormat(text);
  if (format) return `holds ${format.what}`;
  if (isSecretName(name) && !isReference(text)) return `"${name}" holds a literal value`;
  const embedded = secretsInText(text)[0];
  return embedded ? `holds ${embedded.what}` : undefined;
}

/** A value in free text: quoted (spaces allowed) or bare. */
const VALUE = String.raw`(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"',;}&)]+))`;
/** name=value, name: value, "name": "value", --name=value and --name value in free text (config files, scripts, messages). */
const ASSIGNMENTS = [
  new RegExp(String.raw`(?<![\w.-])(?:--?)?["']?([A-Za-z][\w.-]*)["']?[ \t]*[:=][ \t]*${VALUE}`, 'g'),
  new RegExp(String.raw`(?<![\w.-])--([A-Za-z][\w.-]*)[ \t]+${VALUE}`, 'g'),
];
/** An AWS secret access key next to its name, in any of the spellings its tools use. */
const AWS_SECRET = /(?:aws_?)?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi;
/** Query parameters of a URL that carry a credential (GitLab's private_token, OAuth's access_token, ...). */
const URL_PARAMETER = /[?&]([A-Za-z0-9_.-]+)=([^&#\s"']*)/g;

/** A value in text that the shell, Kubernetes or a template expands at run time: $VAR, ${VAR}, $(VAR), {{ ... }}. */
const expandedAtRunTime = (value: string) => /^(?:\$[({]?\w|\{\{)/.test(value);

/**
 * Every credential in a text: known token formats, an AWS secret key by its name, and literal values assigned to
 * secret-like names, in assignments and in URL parameters such as ?private_token=. Meant for file contents, command lines,
 * commit messages and `--reason` texts.
 */
export function secretsInText(text: string): SecretHit[] {
  if (!MAY_HOLD_SECRET.test(text)) return [];
  const hits: SecretHit[] = [];
  const covered = (index: number) => hits.some((hit) => hit.index === index);
  for (const [pattern, what] of TOKEN_FORMATS_ALL) {
    for (const match of text.matchAll(pattern)) hits.push({ what, index: match.index });
  }
  for (const match of text.matchAll(AWS_SECRET)) hits.push({ what: 'an AWS secret access key', index: match.index });
  for (const match of text.matchAll(URL_PARAMETER)) {
    if (isSecretName(match[1]) && !isReference(safeDecode(match[2])) && !expandedAtRunTime(match[2]))
      hits.push({ what: `a URL with a ${match[1]} parameter`, index: match.index });
  }
  for (const assignment of ASSIGNMENTS) {
    for (const match of text.matchAll(assignment)) {
      const name = match[1];
      const value = match[2] ?? match[3] ?? match[4] ?? '';
      // prose ("password: see INC-42") says a lot of short words after a name; a credential is rarely shorter than 6
      if (!isSecretName(name) || isReference(value) || expandedAtRunTime(value) || value.length < 6) continue;
      if (
        covered(match.index) ||
        hits.some((hit) => hit.index > match.index && hit.index < match.index + match[0].length)
      )
        continue;
      hits.push({ what: `a literal value for ${name}`, index: match.index });
    }
  }
  return hits.sort((a, b) => a.index - b.index);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** "--db-password=x" and "--db-password x" in an argument list: the option name with its value and the index holding it. */
export function optionValues(args: unknown[]): { name: string; value: string; index: number }[] {
  const found: { name: string; value: string; index: number }[] = [];
  args.forEach((arg, index) => {
    if (typeof arg !== 'string') return;
    const inline = /^--?([A-Za-z][A-Za-z0-9_.-]*)=(.*)$/s.exec(arg);
    if (inline) return void found.push({ name: inline[1], value: inline[2], index });
    const flag = /^--?([A-Za-z][A-Za-z0-9_.-]*)$/.exec(arg);
    const next = args[index + 1];
    if (flag && typeof next === 'string' && !next.startsWith('-'))
      found.push({ name: flag[1], value: next, index: index + 1 });
  });
  return found;
}

/** The credentials in a repository URL: user:password@, a token as user name on http(s), or a token parameter. */
export function urlCredentials(url: string): string | undefined {
  const userinfo = /^([a-z][a-z0-9+.-]*):\/\/([^/@?#]*)@/i.exec(url);
  if (userinfo) {
    const [, scheme, info] = userinfo;
    if (info.includes(':')) return 'a user name and password (user:password@)';
    // ssh://git@host is a login name, never a secret; on http(s) a bare user name is how tokens travel
    if (/^https?$/i.test(scheme)) return 'a user name or token (user@)';
  }
  for (const match of url.matchAll(URL_PARAMETER))
    if (isSecretName(match[1]) && !isReference(safeDecode(match[2]))) return `a ${match[1]} parameter`;
  const format = tokenFormat(url);
  return format ? format.what : undefined;
}
