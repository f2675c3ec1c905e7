// plaintext-secrets: no credential in a values file, no rendered Secret, no credential in a rendered env value.
import { plaintextSecretsRule } from '../../src/validate/rules/plaintext-secrets';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const AWS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
// split so the repository never holds the whole (documented example) value
const AWS_SECRET = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'].join(
  '.',
);
const configMap = (p: Platform, environment = 'dev'): KubeObject =>
  p.object(environment, 'service-b', 'ConfigMap/service-b-config');
const container = (p: Platform): KubeObject => p.container('dev', 'service-b');
const rendered = (object: string, field: string, environment = 'dev', service = 'service-b') => ({
  environment,
  application: `${environment}-${service}`,
  object,
  field,
});
const inConfigMap = (key: string) => rendered('ConfigMap/service-b-config', `data.${key}`);
const inContainer = (field: string) => rendered('Deployment/service-b', `spec.template.spec.containers[0].${field}`);
const env = (p: Platform, service = 'service-b', environment = 'dev'): KubeObject[] =>
  p.container(environment, service).env;
/** service-b's container env in the fixture holds LOG_LEVEL and ENVIRONMENT; a new variable lands at index 2. */
const envValue = (environment = 'dev') => ({
  environment,
  application: `${environment}-service-b`,
  object: 'Deployment/service-b',
  field: 'spec.template.spec.containers[0].env[2].value',
});
const file = (object: string, field: string) => ({ object, field });
const secret = (body: KubeObject) => (p: Platform) =>
  p.app('dev', 'service-a').objects.push({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'service-a-db', namespace: 'dev' },
    type: 'Opaque',
    ...body,
  });

describeRule(plaintextSecretsRule, {
  accepts: [
    // the fixture already holds secrets.store: aws-secrets-manager (env.yaml), secrets.items with env: DB_PASSWORD and an ExternalSecret secretKey DB_PASSWORD
    {
      name: 'a password taken from a Secret by valueFrom',
      change: (p) =>
        env(p).push({
          name: 'DB_PASSWORD',
          valueFrom: { secretKeyRef: { name: 'service-b-secrets', key: 'DB_PASSWORD' } },
        }),
    },
    {
      name: 'a values-file env entry that is an EnvVar body with valueFrom',
      change: (p) =>
        p.editYaml(
          'charts/service-b/values.yaml',
          (v) =>
            (v.env = {
              DB_PASSWORD: { valueFrom: { secretKeyRef: { name: 'service-b-secrets', key: 'DB_PASSWORD' } } },
            }),
        ),
    },
    {
      name: 'a database URL whose password is a $(VAR) reference',
      change: (p) => env(p).push({ name: 'DATABASE_URL', value: 'postgres://app:$(DB_PASSWORD)@postgres:5432/app' }),
    },
    {
      name: 'a database URL with a ${VAR} placeholder in a values file',
      change: (p) =>
        p.editYaml(
          'charts/service-b/values.yaml',
          (v) => (v.config = { DATABASE_URL: 'postgres://app:${DB_PASSWORD}@postgres:5432/app' }),
        ),
    },
    {
      name: 'a URL with a port and no password',
      change: (p) =>
        p.editYaml(
          'charts/service-b/values.yaml',
          (v) =>
            (v.config = { DATABASE_URL: 'postgres://postgres:5432/app', CALLBACK: 'https://user@example.com/hook' }),
        ),
    },
    {
      name: 'an empty password placeholder',
      change: (p) => p.editYaml('environments/dev/service-b.yaml', (v) => (v.env = { DB_PASSWORD: '' })),
    },
    {
      name: 'a switch named like a token',
      change: (p) => p.editYaml('charts/service-a/values.yaml', (v) => (v.serviceAccount = { automountToken: false })),
    },
    { name: 'a Secret object without data', change: secret({ type: 'kubernetes.io/service-account-token' }) },
    { name: 'a Secret with empty data', change: secret({ data: {} }) },
    {
      name: 'a PushSecret item naming the Secret key it reads',
      change: (p) =>
        p.app('dev', 'service-b').objects.push({
          apiVersion: 'external-secrets.io/v1alpha1',
          kind: 'PushSecret',
          metadata: { name: 'service-b' },
          spec: {
            data: [{ match: { secretKey: 'DB_PASSWORD', remoteRef: { remoteKey: 'berth/dev/service-b/db' } } }],
          },
        }),
    },
    // references and names of secrets, rendered
    {
      name: 'args that take the password from $(VAR)',
      change: (p) => (container(p).args = ['--db-password=$(DB_PASSWORD)', '--db-user', 'app']),
    },
    {
      name: 'a shell script that adds a token from a variable at run time',
      change: (p) =>
        (container(p).command = [
          '/bin/sh',
          '-c',
          'git clone "https://x-access-token:${GIT_TOKEN}@${GITOPS_REPOSITORY#https://}" "$repo"',
        ]),
    },
    {
      name: 'a ConfigMap that names files and secrets',
      change: (p) =>
        Object.assign(configMap(p).data, {
          DB_PASSWORD_FILE: '/run/secrets/db-password',
          existingSecret: 'service-b-db',
          PASSWORD_MIN_LENGTH: '12',
        }),
    },
    {
      name: 'a dashboard ConfigMap with JSON',
      change: (p) =>
        (configMap(p).data['dashboard.json'] = JSON.stringify({
          title: 'service-b',
          panels: [
            {
              type: 'timeseries',
              datasource: { type: 'prometheus', uid: 'prometheus' },
              targets: [{ expr: 'sum(rate(http_requests_total[5m]))' }],
            },
          ],
        })),
    },
    {
      name: 'a checksum annotation (high entropy, innocent name)',
      change: (p) =>
        (p.object('dev', 'service-b', 'Deployment/service-b').spec.template.metadata.annotations['checksum/config'] =
          'f'.repeat(20) + '0123456789abcdef'.repeat(2) + 'e'.repeat(12)),
    },
    {
      name: 'a chart file without credentials',
      change: (p) =>
        p.files.set('charts/service-b/files/app.properties', 'db.host=postgres\ndb.password=${DB_PASSWORD}\n'),
    },
  ],
  rejects: [
    // values files: the finding names the file and the key path
    {
      name: 'a password under DB_PASSWORD in an overlay',
      change: (p) => p.editYaml('environments/dev/service-b.yaml', (v) => (v.env = { DB_PASSWORD: 'hunter2' })),
      finding: file('environments/dev/service-b.yaml', 'env.DB_PASSWORD'),
      message: /DB_PASSWORD/,
    },
    {
      name: 'a numeric password',
      change: (p) => p.editYaml('environments/prod/postgres.yaml', (v) => (v.env = { PGPASSWORD: 12345678 })),
      finding: file('environments/prod/postgres.yaml', 'env.PGPASSWORD'),
    },
    {
      name: 'an AWS access key id under an innocent key',
      change: (p) => p.editYaml('charts/service-a/values.yaml', (v) => (v.config = { REGION_HINT: AWS_KEY_ID })),
      finding: file('charts/service-a/values.yaml', 'config.REGION_HINT'),
      message: /AWS access key id/,
    },
    {
      name: 'a URL with user:password@',
      change: (p) =>
        p.editYaml(
          'environments/prod/service-b.yaml',
          (v) => (v.config = { DATABASE_URL: 'postgres://app:hunter2@postgres:5432/app' }),
        ),
      finding: file('environments/prod/service-b.yaml', 'config.DATABASE_URL'),
      message: /URL with a password/,
    },
    {
      name: 'a GitHub token in a list',
      change: (p) =>
        p.editYaml('charts/service-c/values.yaml', (v) => (v.args = ['--verbose', `--token=ghp_${'x'.repeat(36)}`])),
      finding: file('charts/service-c/values.yaml', 'args[1]'),
      message: /GitHub token/,
    },
    {
      name: 'a private key in the environment values',
      change: (p) =>
        p.editYaml(
          'environments/dev/values.yaml',
          (v) => (v.config = { TLS_KEY: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----' }),
        ),
      finding: file('environments/dev/values.yaml', 'config.TLS_KEY'),
      message: /private key/,
    },
    {
      name: 'a token in env.yaml',
      change: (p) => p.editYaml('environments/dev/env.yaml', (v) => (v.cluster.token = 'eyJhbGciOiJSUzI1NiJ9')),
      finding: file('environments/dev/env.yaml', 'cluster.token'),
    },
    {
      name: 'a secret in cluster-base values',
      change: (p) => p.editYaml('charts/cluster-base/values.yaml', (v) => (v.secretStore.clientSecret = 's3cr3t')),
      finding: file('charts/cluster-base/values.yaml', 'secretStore.clientSecret'),
    },
    {
      name: 'a key under secrets.items',
      change: (p) => p.editYaml('charts/service-b/values.yaml', (v) => (v.secrets.items[1].password = 'hunter2')),
      finding: file('charts/service-b/values.yaml', 'secrets.items[1].password'),
    },
    // rendered objects: the finding names the environment, Application, object and field
    {
      name: 'a rendered Secret with data',
      change: secret({ data: { password: 'aHVudGVyMg==' } }),
      finding: { environment: 'dev', application: 'dev-service-a', object: 'Secret/service-a-db', field: 'data' },
    },
    {
      name: 'a rendered Secret with stringData',
      change: secret({ stringData: { password: 'hunter2' } }),
      finding: { environment: 'dev', application: 'dev-service-a', object: 'Secret/service-a-db', field: 'data' },
    },
    {
      name: 'a rendered env value under DB_PASSWORD',
      change: (p) => env(p).push({ name: 'DB_PASSWORD', value: 'hunter2' }),
      finding: envValue(),
      message: /DB_PASSWORD/,
    },
    {
      name: 'a rendered AWS key id under an innocent name',
      change: (p) => env(p, 'service-b', 'prod').push({ name: 'FEATURE_FLAGS', value: AWS_KEY_ID }),
      finding: envValue('prod'),
      message: /AWS access key id/,
    },
    {
      name: 'a rendered URL with user:password@',
      change: (p) => env(p).push({ name: 'DATABASE_URL', value: 'postgresql://app:hunter2@postgres:5432/app' }),
      finding: envValue(),
      message: /URL with a password/,
    },
    // every rendered object of every kind: ConfigMaps, args, command, annotations, any spec field
    {
      name: 'a ConfigMap holding DB_PASSWORD',
      change: (p) => (configMap(p).data.DB_PASSWORD = 'hunter2'),
      finding: inConfigMap('DB_PASSWORD'),
      message: /"DB_PASSWORD" holds a literal value/,
    },
    {
      name: 'a ConfigMap holding an AWS secret key',
      change: (p) => (configMap(p).data.AWS_SECRET_ACCESS_KEY = AWS_SECRET),
      finding: inConfigMap('AWS_SECRET_ACCESS_KEY'),
    },
    {
      name: 'a ConfigMap file pulled in with .Files.Get',
      change: (p) => (configMap(p).data['app.properties'] = `db.host=postgres\naws_secret_access_key=${AWS_SECRET}\n`),
      finding: inConfigMap('app.properties'),
      message: /AWS secret access key/,
    },
    {
      name: 'a ConfigMap holding DB_PASS in prod',
      change: (p) => (configMap(p, 'prod').data.DB_PASS = 'hunter2'),
      finding: rendered('ConfigMap/service-b-config', 'data.DB_PASS', 'prod'),
    },
    {
      name: 'env PGPWD',
      change: (p) => env(p).push({ name: 'PGPWD', value: 'hunter2' }),
      finding: envValue(),
      message: /PGPWD/,
    },
    {
      name: 'env DB_PW',
      change: (p) => env(p).push({ name: 'DB_PW', value: 'hunter2' }),
      finding: envValue(),
      message: /DB_PW/,
    },
    {
      name: 'env placeholder changeme (what the pod would run with)',
      change: (p) => env(p).push({ name: 'DB_PASSWORD', value: 'changeme' }),
      finding: envValue(),
    },
    {
      name: 'args --db-password=...',
      change: (p) => (container(p).args = ['serve', '--db-password=hunter2']),
      finding: inContainer('args[1]'),
      message: /argument --db-password holds a literal value/,
    },
    {
      name: 'args --db-password ...',
      change: (p) => (container(p).args = ['--db-password', 'hunter2']),
      finding: inContainer('args[1]'),
      message: /db-password/,
    },
    {
      name: 'a password in a shell command',
      change: (p) => (container(p).command = ['/bin/sh', '-c', 'mysql --password=Winter2026x -h db']),
      finding: inContainer('command[2]'),
    },
    {
      name: 'a JWT in an annotation',
      change: (p) =>
        (p.object('dev', 'service-b', 'Deployment/service-b').metadata.annotations = {
          'example.com/api-auth': `Bearer ${JWT}`,
        }),
      finding: rendered('Deployment/service-b', 'metadata.annotations.example.com/api-auth'),
      message: /JSON Web Token/,
    },
    {
      name: 'a secret-named annotation',
      change: (p) =>
        (p.object('dev', 'service-b', 'Service/service-b').metadata.annotations = {
          'example.com/webhook-secret': 'abc123xyz',
        }),
      finding: rendered('Service/service-b', 'metadata.annotations.example.com/webhook-secret'),
    },
    {
      name: 'an S3 secretKey in a ConfigMap',
      change: (p) => (configMap(p).data.secretKey = 'minio123abc'),
      finding: inConfigMap('secretKey'),
    },
    {
      name: 'a token in a ServiceMonitor (any kind)',
      change: (p) =>
        (p.object('dev', 'service-b', 'ServiceMonitor/service-b').spec.endpoints[0].bearerToken = 'abc123xyz'),
      finding: rendered('ServiceMonitor/service-b', 'spec.endpoints[0].bearerToken'),
    },
    {
      name: 'a Secret with data says what it holds, decoded',
      change: secret({ data: { key: Buffer.from(`${AWS_KEY_ID}`).toString('base64') } }),
      finding: { environment: 'dev', application: 'dev-service-a', object: 'Secret/service-a-db', field: 'data' },
      message: /data.key, holding an AWS access key id/,
    },
    {
      name: "a Secret's annotations are checked too",
      change: secret({ metadata: { name: 'service-a-db', annotations: { token: 'abc123xyz' } }, type: 'Opaque' }),
      finding: {
        environment: 'dev',
        application: 'dev-service-a',
        object: 'Secret/service-a-db',
        field: 'metadata.annotations.token',
      },
    },
    // chart files: a file .Files.Get reads is in git whether or not it renders
    {
      name: 'a chart file holding a password',
      change: (p) =>
        p.files.set('charts/service-b/files/app.properties', 'db.host=postgres\ndb.password=s3cr3t-pass\n'),
      finding: file('charts/service-b/files/app.properties', 'line 2'),
      message: /db.password/,
    },
    {
      name: 'a private key in a chart template',
      change: (p) =>
        p.files.set(
          'charts/service-b/templates/tls.yaml',
          'data:\n  tls.key: |\n    -----BEGIN PRIVATE KEY-----\n    MIIE\n',
        ),
      finding: file('charts/service-b/templates/tls.yaml', 'line 3'),
      message: /private key/,
    },
  ],
});
