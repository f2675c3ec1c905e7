// No secret in git: values files hold no password-like literal, and no chart renders a plaintext Secret or env value.
import { containers, objectName, type Rule } from '../context';
import type { Finding } from '../finding';
import { readYamlDocuments } from '../../util/yaml-read';

/** Key names that hold credentials when they carry a literal value. */
const SECRET_KEY = /(password|passwd|passphrase|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credentials?)$/i;
/** Values that are credentials whatever their key: cloud keys, private keys, tokens, URLs with a password. */
const SECRET_VALUE: [RegExp, string][] = [
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  // a password that is only a $(VAR) or ${VAR} reference is filled in from a secret at run time, so it is not a literal
  [/[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:(?!\$\(\w+\)@|\$\{\w+\}@)[^/\s@]+@/i, 'a URL with a password in it'],
];

export function secretProblem(key: string, value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value);
  for (const [pattern, what] of SECRET_VALUE) if (pattern.test(text)) return `holds ${what}`;
  if (SECRET_KEY.test(key) && text.trim() !== '') return `"${key}" holds a literal value`;
  return undefined;
}

function scan(value: unknown, path: string[], visit: (path: string[], value: unknown) => void): void {
  if (Array.isArray(value)) value.forEach((item, index) => scan(item, [...path, `[${index}]`], visit));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) scan(item, [...path, key], visit);
  else visit(path, value);
}

const valuesFiles = (context: Parameters<Rule['check']>[0]) => [
  ...context.workspace.services.map((service) => `charts/${service.name}/values.yaml`),
  'charts/cluster-base/values.yaml',
  ...context.workspace.environments.flatMap((env) => context.files.list(`environments/${env.name}`).filter((file) => file.endsWith('.yaml')).map((file) => `environments/${env.name}/${file}`)),
  ...context.workspace.services.map((service) => `apps/${service.name}/app.yaml`),
];

export const plaintextSecretsRule: Rule = {
  id: 'plaintext-secrets',
  description: 'no password-like literal in values files, no Secret object and no secret env value in rendered output',
  check(context) {
    const findings: Finding[] = [];
    for (const file of valuesFiles(context)) {
      const text = context.files.read(file);
      if (text === undefined) continue;
      for (const document of readYamlDocuments(text, file)) {
        scan(document, [], (path, value) => {
          const key = path.filter((part) => !part.startsWith('[')).at(-1) ?? '';
          const problem = secretProblem(key, value);
          if (problem) findings.push({ rule: this.id, object: file, field: path.join('.').replace(/\.\[/g, '['), message: `${problem}; secrets must not be committed.`, fix: 'store it in AWS Secrets Manager and reference it through secrets.items (an ExternalSecret); then rotate the leaked value.' });
        });
      }
    }
    for (const render of context.renders) {
      for (const app of render.applications) {
        const where = { rule: this.id, environment: render.environment.name, application: app.application };
        for (const object of app.objects.filter((candidate) => candidate.kind === 'Secret' && (candidate.data || candidate.stringData))) {
          findings.push({ ...where, object: objectName(object), field: 'data', message: 'renders a Secret with its values in git.', fix: 'deliver it through an ExternalSecret (secrets.items) instead.' });
        }
        for (const { object, container, path } of containers(app.objects)) {
          (container.env ?? []).forEach((variable: Record<string, unknown>, index: number) => {
            const problem = secretProblem(String(variable.name), variable.value);
            if (problem) findings.push({ ...where, object: objectName(object), field: `${path}.env[${index}].value`, message: `environment variable ${variable.name} ${problem.replace(/^"[^"]*" /, '')}.`, fix: 'move it to secrets.items so it comes from AWS Secrets Manager.' });
          });
        }
      }
    }
    return findings;
  },
};
