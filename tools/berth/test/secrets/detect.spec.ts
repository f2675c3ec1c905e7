// secrets/detect: which names, values and texts hold a credential; false positives matter as much as misses.
import { describe, expect, it } from 'vitest';
import { isSecretName, optionValues, secretInField, secretsInText, urlCredentials } from '../../src/secrets/detect';

// built at run time so the repository never holds a whole token (fake values in the documented example shapes)
const AWS_KEY_ID = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
const AWS_SECRET = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
const GITHUB = `ghp_${'a1B2c3D4e5'.repeat(4).slice(0, 36)}`;
const GITHUB_PAT = `github_pat_${'11ABCDEFG0'.repeat(3)}_${'x'.repeat(20)}`;
const SLACK = ['xoxb', '123456789012', '1234567890123', 'abcdefghijABCDEFGHIJ'].join('-');
const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'].join(
  '.',
);
const PEM = [
  '-----BEGIN',
  'OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
].join(' ');

/** One sample of every token format (detect.ts TOKEN_FORMATS), to prove the cheap screen in front lets each through. */
const EVERY_FORMAT: [string, RegExp][] = [
  [AWS_KEY_ID, /AWS access key id/],
  [['ASIA', 'IOSFODNN7EXAMPLE'].join(''), /AWS access key id/],
  [PEM, /private key/],
  [GITHUB, /GitHub token/],
  [GITHUB_PAT, /GitHub token/],
  [['glpat', 'x'.repeat(20)].join('-'), /GitLab token/],
  [SLACK, /Slack token/],
  [['AIza', 'Sy'.repeat(17), 'A'].join(''), /Google API key/],
  [['sk', 'live', 'a1'.repeat(8)].join('_'), /Stripe key/],
  [['rk', 'live', 'a1'.repeat(8)].join('_'), /Stripe key/],
  [['npm', 'a1B2'.repeat(9)].join('_'), /npm token/],
  [JWT, /JSON Web Token/],
  ['amqp://app:hunter2@mq:5672', /URL with a password/],
];

describe('token formats', () => {
  it.each(EVERY_FORMAT)('finds %s alone, in a field of any name and in text', (token, what) => {
    expect(secretInField('notes', token)).toMatch(what);
    expect(secretsInText(token).map((hit) => hit.what)).toEqual([expect.stringMatching(what)]);
    expect(secretsInText(`see ${token}\n`)).toEqual([{ what: expect.stringMatching(what), index: 4 }]);
  });
});

describe('isSecretName', () => {
  it.each([
    'DB_PASSWORD',
    'db-password',
    'dbPassword',
    'PGPASSWORD',
    'DB_PASS',
    'PGPWD',
    'DB_PW',
    'MYSQL_ROOT_PASSWD',
    'passphrase',
    'client_secret',
    'clientSecret',
    'API_KEY',
    'apiKey',
    'api-key',
    'PRIVATE_KEY',
    'privateKey',
    'AWS_SECRET_ACCESS_KEY',
    'GIT_TOKEN',
    'x-access-token',
    'credentials',
    'GOOGLE_CREDENTIALS',
    'spring.datasource.password',
    'SECRET_KEY_BASE',
    'JWT_SECRET',
  ])('holds a credential: %s', (name) => expect(isSecretName(name)).toBe(true));
  it.each([
    'DB_HOST',
    'DB_USER',
    'AWS_ACCESS_KEY_ID',
    'DB_PASSWORD_FILE',
    'PASSWORD_MIN_LENGTH',
    'TOKEN_TTL',
    'GIT_TERMINAL_PROMPT',
    'existingSecret',
    'secretName',
    'secretRef',
    'bypass',
    'PASSTHROUGH',
    'compass',
    'MAX_TOKENS',
    'remoteRef',
    'property',
    'key',
    'checksum/config',
    'tokenizer',
  ])('names no credential: %s', (name) => expect(isSecretName(name)).toBe(false));
});

describe('secretInField', () => {
  const cases: [string, unknown, RegExp | undefined][] = [
    ['DB_PASSWORD', 'hunter2', /"DB_PASSWORD" holds a literal value/],
    ['PGPWD', 12345678, /literal value/],
    ['DB_PASSWORD', 'changeme', /literal value/], // a placeholder is what the pod would run with: refused
    ['REGION_HINT', AWS_KEY_ID, /AWS access key id/],
    ['NOTES', `ask ${GITHUB} nicely`, /GitHub token/],
    ['CONFIG', `token=${GITHUB_PAT}`, /GitHub token/],
    ['HOOK', SLACK, /Slack token/],
    ['HEADER', `Bearer ${JWT}`, /JSON Web Token/],
    ['KEY_FILE', PEM, /private key/],
    ['DATABASE_URL', 'postgres://app:hunter2@db:5432/app', /URL with a password/],
    ['settings.ini', `[aws]\naws_secret_access_key = ${AWS_SECRET}\n`, /AWS secret access key/],
    ['app.properties', 'db.url=jdbc:postgresql://db/app\ndb.password=s3cr3t-pass\n', /literal value for db.password/],
    ['CLONE', 'https://gitlab.com/a/b.git?private_token=abcdefgh1234', /private_token parameter/],
    // allowed: references, switches, empty values and names of secrets
    ['DB_PASSWORD', '', undefined],
    ['DB_PASSWORD', '$(DB_PASSWORD_FROM_SECRET)', undefined],
    ['DB_PASSWORD', '${DB_PASSWORD}', undefined],
    ['automountServiceAccountToken', false, undefined],
    ['USE_TOKEN', 'true', undefined],
    ['DATABASE_URL', 'postgres://app:$(DB_PASSWORD)@db:5432/app', undefined],
    ['secretKey', 'minio123abc', /literal value/], // MinIO's and S3 clients' secretKey is the secret (ExternalSecret items are told apart by the rule)
    ['existingSecret', 'postgres-credentials', undefined],
    ['DB_PASSWORD_FILE', '/run/secrets/db-password', undefined],
    ['script', 'git clone "https://x-access-token:${GIT_TOKEN}@${GITOPS_REPOSITORY#https://}" "$repo"', undefined],
    ['checksum/config', 'a'.repeat(24) + '0123456789abcdef'.repeat(2) + 'b'.repeat(8), undefined],
    ['AWS_ACCESS_KEY_ID_NAME', 'ci-deployer', undefined],
    ['dashboard.json', '{"title": "service-a", "panels": [{"type": "graph", "datasource": "prometheus"}]}', undefined],
  ];
  it.each(cases)('%s = %j', (name, value, expected) => {
    const problem = secretInField(name, value);
    if (expected) expect(problem).toMatch(expected);
    else expect(problem).toBeUndefined();
  });

  it('never repeats the value in what it reports', () => {
    expect(secretInField('DB_PASSWORD', 'hunter2')).not.toContain('hunter2');
    expect(
      secretsInText('password: s3cr3t-pass')
        .map((hit) => hit.what)
        .join(),
    ).not.toContain('s3cr3t');
  });
});

describe('secretsInText', () => {
  it.each([
    ['a commit message with a token', `chore: bump\n\nused ${GITHUB} to test`, ['a GitHub token']],
    ['a --reason with a password', 'INC-42 db password=Winter2026! leaked', ['a literal value for password']],
    ['a --reason about a password', 'INC-42: rotate the password: see ticket', []],
    ['a shell script with an inline password', 'psql --password hunter2secret -h db', ['a literal value for password']],
    ['JSON with an API key', '{"apiKey": "k-1234567890abcdef"}', ['a literal value for apiKey']],
    ['two tokens', `${AWS_KEY_ID} and ${SLACK}`, ['an AWS access key id', 'a Slack token']],
    [
      'a Kubernetes manifest that references its secrets',
      'valueFrom:\n  secretKeyRef:\n    name: db\n    key: password\n',
      [],
    ],
  ])('%s', (_name, text, expected) => {
    expect(secretsInText(text).map((hit) => hit.what)).toEqual(expected);
  });
});

describe('optionValues', () => {
  it('reads --name=value and --name value, and leaves flags alone', () => {
    expect(optionValues(['--db-password=hunter2', '--verbose', '--token', 'abc', '-v', 'serve'])).toEqual([
      { name: 'db-password', value: 'hunter2', index: 0 },
      { name: 'token', value: 'abc', index: 3 },
      { name: 'v', value: 'serve', index: 5 },
    ]);
  });
});

describe('urlCredentials', () => {
  it.each([
    ['https://user:token@github.com/acme/platform-gitops.git', /user name and password/],
    ['https://ghtoken@github.com/acme/platform-gitops.git', /user name or token/],
    ['https://gitlab.com/acme/platform-gitops.git?private_token=abc', /private_token parameter/],
    ['http://oauth2:abc@git.internal/acme/x.git', /user name and password/],
    [`https://github.com/acme/${GITHUB}.git`, /GitHub token/],
    ['https://github.com/acme/platform-gitops.git', undefined],
    ['git@github.com:acme/platform-gitops.git', undefined],
    ['ssh://git@github.com/acme/platform-gitops.git', undefined],
  ])('%s', (url, expected) => {
    const found = urlCredentials(url);
    if (expected) expect(found).toMatch(expected);
    else expect(found).toBeUndefined();
  });
});
