// No secret in git: no credential in values files or chart files, and none in any field of any rendered object.
import { optionValues, secretInField, secretsInText } from '../../secrets/detect';
import { objectName, type KubeObject, type Rule, type RuleContext } from '../context';
import type { Finding } from '../finding';
import { readYamlDocuments } from '../../util/yaml-read';

interface Hit {
  path: string[];
  /** Where the value sits, for the message: an environment variable, an argument, a field. */
  shape: 'env' | 'argument' | 'field';
  name: string;
  problem: string;
}

const fieldPath = (path: string[]) => path.join('.').replace(/\.\[/g, '[');
const isEnvVar = (value: unknown): value is { name: string; value: unknown } =>
  !!value &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  typeof (value as KubeObject).name === 'string' &&
  'value' in value;

/**
 * Every credential in a parsed document: a secret-like name with a literal value, a known token format anywhere,
 * an EnvVar ({name, value}) judged by its name, and `--db-password=...` or `--db-password ...` in args and command.
 */
export function secretsInData(value: unknown, path: string[] = []): Hit[] {
  const hits: Hit[] = [];
  // one path, grown and shrunk as the walk goes, copied only for a hit: a rendered platform has millions of fields
  const at = [...path];
  const visit = (node: unknown, key: string) => {
    if (Array.isArray(node)) {
      if (key === 'args' || key === 'command') {
        for (const option of optionValues(node)) {
          const problem = secretInField(option.name, option.value);
          if (problem) hits.push({ path: [...at, `[${option.index}]`], shape: 'argument', name: option.name, problem });
        }
      }
      node.forEach((item, index) => within(`[${index}]`, () => visit(item, key)));
    } else if (isEnvVar(node)) {
      const problem = secretInField(node.name, node.value);
      if (problem) hits.push({ path: [...at, 'value'], shape: 'env', name: node.name, problem });
      for (const [child, item] of Object.entries(node)) if (child !== 'value') within(child, () => visit(item, child));
    } else if (node && typeof node === 'object') {
      // an External Secrets item ({secretKey, remoteRef}) names the key of the Secret it fills, never a value
      const names = 'remoteRef' in node ? ['secretKey'] : [];
      for (const [child, item] of Object.entries(node))
        if (!names.includes(child)) within(child, () => visit(item, child));
    } else {
      const problem = secretInField(key, node);
      if (problem) hits.push({ path: [...at], shape: 'field', name: key, problem });
    }
  };
  const within = (step: string, walk: () => void) => {
    at.push(step);
    walk();
    at.pop();
  };
  visit(value, '');
  // an argument found both as an option and as a string is one finding
  const seen = new Set<string>();
  return hits.filter((hit) => !seen.has(fieldPath(hit.path)) && seen.add(fieldPath(hit.path)));
}

const valuesFiles = (context: RuleContext) => [
  ...context.workspace.services.map((service) => `charts/${service.name}/values.yaml`),
  'charts/cluster-base/values.yaml',
  ...context.workspace.environments.flatMap((env) =>
    context.files
      .list(`environments/${env.name}`)
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => `environments/${env.name}/${file}`),
  ),
  ...context.workspace.services.map((service) => `apps/${service.name}/app.yaml`),
];

/** A service chart's other files (templates, files read with .Files.Get, docs); not its vendored dependencies. */
function chartFiles(context: RuleContext, dir: string): string[] {
  return context.files.list(dir).flatMap((entry) => {
    const path = `${dir}/${entry}`;
    if (context.files.isDirectory(path))
      return entry === 'charts' && dir.split('/').length === 2 ? [] : chartFiles(context, path);
    return entry === 'values.yaml' && dir.split('/').length === 2 ? [] : [path];
  });
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

const RENDERED_FIX: Record<Hit['shape'], string> = {
  env: 'move it to secrets.items so the variable comes from AWS Secrets Manager (an ExternalSecret).',
  argument:
    'pass the value as $(VAR) from an environment variable that secrets.items fills, never on the command line.',
  field:
    'keep the value in AWS Secrets Manager and deliver it through secrets.items (an ExternalSecret); a ConfigMap, an annotation or a spec field is stored in plain text.',
};

function renderedMessage(hit: Hit): string {
  const problem = hit.problem.replace(/^"[^"]*" /, '');
  if (hit.shape === 'env') return `environment variable ${hit.name} ${problem}.`;
  if (hit.shape === 'argument') return `argument --${hit.name} ${problem}.`;
  return `${hit.problem}.`;
}

/** What a rendered Secret holds, by key, with base64 data decoded: enough to know what to rotate. */
function secretContents(object: KubeObject): string {
  const keys = [
    ...Object.keys(object.data ?? {}).map((key) => `data.${key}`),
    ...Object.keys(object.stringData ?? {}).map((key) => `stringData.${key}`),
  ];
  const formats = [
    ...Object.values<unknown>(object.data ?? {}).map((value) => Buffer.from(String(value), 'base64').toString('utf8')),
    ...Object.values<unknown>(object.stringData ?? {}).map(String),
  ].flatMap((text) => secretsInText(text).map((hit) => hit.what));
  return `${keys.join(', ')}${formats.length ? `, holding ${[...new Set(formats)].join(' and ')}` : ''}`;
}

const hasEntries = (value: unknown) => !!value && typeof value === 'object' && Object.keys(value).length > 0;

export const plaintextSecretsRule: Rule = {
  id: 'plaintext-secrets',
  description:
    'no credential in values or chart files, no Secret with data and no credential in any field of any rendered object',
  check(context) {
    const findings: Finding[] = [];
    for (const file of valuesFiles(context)) {
      const text = context.files.read(file);
      if (text === undefined) continue;
      for (const document of readYamlDocuments(text, file)) {
        for (const hit of secretsInData(document)) {
          findings.push({
            rule: this.id,
            object: file,
            field: fieldPath(hit.path),
            message: `${hit.problem}; secrets must not be committed.`,
            fix: 'store it in AWS Secrets Manager and reference it through secrets.items (an ExternalSecret); then rotate the leaked value.',
          });
        }
      }
    }
    for (const service of context.workspace.services) {
      for (const file of chartFiles(context, `charts/${service.name}`)) {
        const text = context.files.read(file) ?? '';
        if (text.includes('\0')) continue;
        for (const hit of secretsInText(text)) {
          findings.push({
            rule: this.id,
            object: file,
            field: `line ${lineOf(text, hit.index)}`,
            message: `holds ${hit.what}; secrets must not be committed, and a file a template reads ends up in the rendered objects.`,
            fix: 'remove it, keep the value in AWS Secrets Manager and deliver it through secrets.items (an ExternalSecret); then rotate the leaked value.',
          });
        }
      }
    }
    for (const render of context.renders) {
      for (const app of render.applications) {
        const where = { rule: this.id, environment: render.environment.name, application: app.application };
        for (const object of app.objects) {
          const { data, stringData, ...rest } = object;
          if (object.kind === 'Secret' && (hasEntries(data) || hasEntries(stringData))) {
            findings.push({
              ...where,
              object: objectName(object),
              field: 'data',
              message: `renders a Secret with its values in git (${secretContents(object)}); base64 is not encryption.`,
              fix: 'deliver it through an ExternalSecret (secrets.items) instead; then rotate the values.',
            });
          }
          for (const hit of secretsInData(object.kind === 'Secret' ? rest : object)) {
            findings.push({
              ...where,
              object: objectName(object),
              field: fieldPath(hit.path),
              message: renderedMessage(hit),
              fix: RENDERED_FIX[hit.shape],
            });
          }
        }
      }
    }
    return findings;
  },
};
