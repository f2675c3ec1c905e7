// plaintext-secrets: no credential in a values file, no rendered Secret, no credential in a rendered env value.
import { plaintextSecretsRule } from '../../src/validate/rules/plaintext-secrets';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const AWS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const env = (p: Platform, service = 'service-b', environment = 'dev'): KubeObject[] => p.container(environment, service).env;
/** service-b's container env in the fixture holds LOG_LEVEL and ENVIRONMENT; a new variable lands at index 2. */
const envValue = (environment = 'dev') => ({ environment, application: `${environment}-service-b`, object: 'Deployment/service-b', field: 'spec.template.spec.containers[0].env[2].value' });
const file = (object: string, field: string) => ({ object, field });
const secret = (body: KubeObject) => (p: Platform) => p.app('dev', 'service-a').objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'service-a-db', namespace: 'dev' }, type: 'Opaque', ...body });

describeRule(plaintextSecretsRule, {
  accepts: [
    // the fixture already holds secrets.store: aws-secrets-manager (env.yaml), secrets.items with env: DB_PASSWORD and an ExternalSecret secretKey DB_PASSWORD
    { name: 'a password taken from a Secret by valueFrom', change: (p) => env(p).push({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'service-b-secrets', key: 'DB_PASSWORD' } } }) },
    { name: 'a values-file env entry that is an EnvVar body with valueFrom', change: (p) => p.editYaml('charts/service-b/values.yaml', (v) => (v.env = { DB_PASSWORD: { valueFrom: { secretKeyRef: { name: 'service-b-secrets', key: 'DB_PASSWORD' } } } })) },
    { name: 'a database URL whose password is a $(VAR) reference', change: (p) => env(p).push({ name: 'DATABASE_URL', value: 'postgres://app:$(DB_PASSWORD)@postgres:5432/app' }) },
    { name: 'a database URL with a ${VAR} placeholder in a values file', change: (p) => p.editYaml('charts/service-b/values.yaml', (v) => (v.config = { DATABASE_URL: 'postgres://app:${DB_PASSWORD}@postgres:5432/app' })) },
    { name: 'a URL with a port and no password', change: (p) => p.editYaml('charts/service-b/values.yaml', (v) => (v.config = { DATABASE_URL: 'postgres://postgres:5432/app', CALLBACK: 'https://user@example.com/hook' })) },
    { name: 'an empty password placeholder', change: (p) => p.editYaml('environments/dev/service-b.yaml', (v) => (v.env = { DB_PASSWORD: '' })) },
    { name: 'a switch named like a token', change: (p) => p.editYaml('charts/service-a/values.yaml', (v) => (v.serviceAccount = { automountToken: false })) },
    { name: 'a Secret object without data', change: secret({ type: 'kubernetes.io/service-account-token' }) },
  ],
  rejects: [
    // values files: the finding names the file and the key path
    { name: 'a password under DB_PASSWORD in an overlay', change: (p) => p.editYaml('environments/dev/service-b.yaml', (v) => (v.env = { DB_PASSWORD: 'hunter2' })), finding: file('environments/dev/service-b.yaml', 'env.DB_PASSWORD'), message: /DB_PASSWORD/ },
    { name: 'a numeric password', change: (p) => p.editYaml('environments/prod/postgres.yaml', (v) => (v.env = { PGPASSWORD: 12345678 })), finding: file('environments/prod/postgres.yaml', 'env.PGPASSWORD') },
    { name: 'an AWS access key id under an innocent key', change: (p) => p.editYaml('charts/service-a/values.yaml', (v) => (v.config = { REGION_HINT: AWS_KEY_ID })), finding: file('charts/service-a/values.yaml', 'config.REGION_HINT'), message: /AWS access key id/ },
    { name: 'a URL with user:password@', change: (p) => p.editYaml('environments/prod/service-b.yaml', (v) => (v.config = { DATABASE_URL: 'postgres://app:hunter2@postgres:5432/app' })), finding: file('environments/prod/service-b.yaml', 'config.DATABASE_URL'), message: /URL with a password/ },
    { name: 'a GitHub token in a list', change: (p) => p.editYaml('charts/service-c/values.yaml', (v) => (v.args = ['--verbose', `--token=ghp_${'x'.repeat(36)}`])), finding: file('charts/service-c/values.yaml', 'args[1]'), message: /GitHub token/ },
    { name: 'a private key in the environment values', change: (p) => p.editYaml('environments/dev/values.yaml', (v) => (v.config = { TLS_KEY: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----' })), finding: file('environments/dev/values.yaml', 'config.TLS_KEY'), message: /private key/ },
    { name: 'a token in env.yaml', change: (p) => p.editYaml('environments/dev/env.yaml', (v) => (v.cluster.token = 'eyJhbGciOiJSUzI1NiJ9')), finding: file('environments/dev/env.yaml', 'cluster.token') },
    { name: 'a secret in cluster-base values', change: (p) => p.editYaml('charts/cluster-base/values.yaml', (v) => (v.secretStore.clientSecret = 's3cr3t')), finding: file('charts/cluster-base/values.yaml', 'secretStore.clientSecret') },
    { name: 'a key under secrets.items', change: (p) => p.editYaml('charts/service-b/values.yaml', (v) => (v.secrets.items[1].password = 'hunter2')), finding: file('charts/service-b/values.yaml', 'secrets.items[1].password') },
    // rendered objects: the finding names the environment, Application, object and field
    { name: 'a rendered Secret with data', change: secret({ data: { password: 'aHVudGVyMg==' } }), finding: { environment: 'dev', application: 'dev-service-a', object: 'Secret/service-a-db', field: 'data' } },
    { name: 'a rendered Secret with stringData', change: secret({ stringData: { password: 'hunter2' } }), finding: { environment: 'dev', application: 'dev-service-a', object: 'Secret/service-a-db', field: 'data' } },
    { name: 'a rendered env value under DB_PASSWORD', change: (p) => env(p).push({ name: 'DB_PASSWORD', value: 'hunter2' }), finding: envValue(), message: /DB_PASSWORD/ },
    { name: 'a rendered AWS key id under an innocent name', change: (p) => env(p, 'service-b', 'prod').push({ name: 'FEATURE_FLAGS', value: AWS_KEY_ID }), finding: envValue('prod'), message: /AWS access key id/ },
    { name: 'a rendered URL with user:password@', change: (p) => env(p).push({ name: 'DATABASE_URL', value: 'postgresql://app:hunter2@postgres:5432/app' }), finding: envValue(), message: /URL with a password/ },
  ],
});
