// No reach beyond the environment: secrets only from its own SecretStore and key prefix, IAM roles only in its own AWS account.
import { CLUSTER_BASE } from '../../argocd/manifests';
import type { Environment } from '../../workspace/model';
import { paths } from '../../workspace/model';
import { objectName, type KubeObject, type Rule } from '../context';
import type { Finding } from '../finding';

type Problem = Omit<Finding, 'rule' | 'environment' | 'application' | 'object'>;

/** A store reference: kind SecretStore (External Secrets' default) and the name cluster-base gives the environment's store. */
function storeProblems(ref: KubeObject | undefined, field: string, env: Environment): Problem[] {
  if (!ref) return [];
  const problems: Problem[] = [];
  const kind = ref.kind ?? 'SecretStore';
  if (kind !== 'SecretStore') {
    problems.push({
      field: `${field}.kind`,
      message: `reads through a ${kind}, which serves every namespace and so every environment.`,
      fix: `use kind: SecretStore, name: ${env.secrets.store} (the store cluster-base makes for ${env.name}).`,
    });
  }
  if (ref.name !== env.secrets.store) {
    problems.push({
      field: `${field}.name`,
      message: `names the store ${JSON.stringify(ref.name ?? null)}, not ${env.name}'s ${JSON.stringify(env.secrets.store)}.`,
      fix: `use the store secrets.store of ${paths.env(env.name)} (the library chart's secrets.items does).`,
    });
  }
  return problems;
}

/** A Secrets Manager key: under the environment's prefix (berth/<env>/), so dev never reads prod's keys. */
function keyProblems(key: unknown, field: string, env: Environment): Problem[] {
  if (!env.secrets.prefix) return [];
  if (typeof key === 'string' && key.startsWith(env.secrets.prefix)) return [];
  return [
    {
      field,
      message: `reads the key ${JSON.stringify(key ?? null)}, outside ${env.name}'s prefix ${env.secrets.prefix}.`,
      fix: `name a key under ${env.secrets.prefix} (secrets.items keys get the prefix by themselves: write the key without it).`,
    },
  ];
}

function externalSecretProblems(object: KubeObject, env: Environment): Problem[] {
  const spec = object.spec ?? {};
  const problems = [...storeProblems(spec.secretStoreRef ?? { kind: 'SecretStore' }, 'spec.secretStoreRef', env)];
  (Array.isArray(spec.data) ? spec.data : []).forEach((item: KubeObject, index: number) => {
    problems.push(
      ...keyProblems(item?.remoteRef?.key, `spec.data[${index}].remoteRef.key`, env),
      ...storeProblems(item?.sourceRef?.storeRef, `spec.data[${index}].sourceRef.storeRef`, env),
    );
  });
  (Array.isArray(spec.dataFrom) ? spec.dataFrom : []).forEach((item: KubeObject, index: number) => {
    const at = `spec.dataFrom[${index}]`;
    problems.push(...storeProblems(item?.sourceRef?.storeRef, `${at}.sourceRef.storeRef`, env));
    if (item?.extract) problems.push(...keyProblems(item.extract.key, `${at}.extract.key`, env));
    if (item?.find) {
      if (item.find.path === undefined)
        problems.push({
          field: `${at}.find.path`,
          message: "finds keys by name or tag across the whole store, every environment's included.",
          fix: `set find.path: ${env.secrets.prefix || '<the environment prefix>'} or list the keys in secrets.items.`,
        });
      else problems.push(...keyProblems(item.find.path, `${at}.find.path`, env));
    }
  });
  return problems;
}

/** PushSecret writes into the store: the same store and prefix rules, for the keys it writes. */
function pushSecretProblems(object: KubeObject, env: Environment): Problem[] {
  const spec = object.spec ?? {};
  const problems: Problem[] = [];
  (Array.isArray(spec.secretStoreRefs) ? spec.secretStoreRefs : []).forEach((ref: KubeObject, index: number) =>
    problems.push(...storeProblems(ref, `spec.secretStoreRefs[${index}]`, env)),
  );
  (Array.isArray(spec.data) ? spec.data : []).forEach((item: KubeObject, index: number) =>
    problems.push(
      ...keyProblems(item?.match?.remoteRef?.remoteKey, `spec.data[${index}].match.remoteRef.remoteKey`, env),
    ),
  );
  return problems;
}

export const secretStoreRule: Rule = {
  id: 'secret-store',
  description:
    "ExternalSecrets read only their environment's SecretStore and keys under its prefix; only cluster-base makes a store",
  check(context) {
    return context.renders.flatMap((render) =>
      render.applications.flatMap((app) =>
        app.objects.flatMap((object) => {
          const env = render.environment;
          let problems: Problem[] = [];
          if (object.kind === 'ExternalSecret') problems = externalSecretProblems(object, env);
          else if (object.kind === 'PushSecret') problems = pushSecretProblems(object, env);
          else if (object.kind === 'ClusterExternalSecret')
            problems = [
              {
                field: 'kind',
                message: "makes Secrets in any namespace it selects, other environments' included.",
                fix: "use an ExternalSecret (secrets.items) in the environment's namespace.",
              },
            ];
          else if (
            (object.kind === 'SecretStore' || object.kind === 'ClusterSecretStore') &&
            app.service !== CLUSTER_BASE
          ) {
            problems = [
              {
                field: 'kind',
                message: `is a ${object.kind} made by a service; its credentials could read any environment's secrets.`,
                fix: `remove it: read secrets through ${env.name}'s store ${env.secrets.store}, which cluster-base makes.`,
              },
            ];
          }
          return problems.map((problem) => ({
            rule: this.id,
            environment: env.name,
            application: app.application,
            object: objectName(object),
            ...problem,
          }));
        }),
      ),
    );
  },
};

const ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** Where an object names an IAM role: the IRSA annotation, EKS Pod Identity associations, a SecretStore's assumed role. */
function roleFields(object: KubeObject): { field: string; arn: unknown }[] {
  const found: { field: string; arn: unknown }[] = [];
  const annotations = object.metadata?.annotations ?? {};
  // an empty annotation assumes no role (cluster-base writes one when env.yaml has no secrets.roleArn, e.g. with Pod Identity)
  if (ROLE_ANNOTATION in annotations && annotations[ROLE_ANNOTATION] !== '')
    found.push({ field: `metadata.annotations.${ROLE_ANNOTATION}`, arn: annotations[ROLE_ANNOTATION] });
  if (object.kind === 'PodIdentityAssociation') {
    for (const key of ['roleARN', 'roleArn', 'targetRoleARN', 'targetRoleArn'])
      if (object.spec?.[key] !== undefined) found.push({ field: `spec.${key}`, arn: object.spec[key] });
  }
  if (
    (object.kind === 'SecretStore' || object.kind === 'ClusterSecretStore') &&
    object.spec?.provider?.aws?.role !== undefined
  ) {
    found.push({ field: 'spec.provider.aws.role', arn: object.spec.provider.aws.role });
  }
  return found;
}

const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;

export const awsAccountRule: Rule = {
  id: 'aws-account',
  description: "every IAM role an object names (IRSA, Pod Identity, SecretStore) is in the environment's AWS account",
  check(context) {
    return context.renders.flatMap((render) =>
      render.applications.flatMap((app) =>
        app.objects.flatMap((object) =>
          roleFields(object).flatMap(({ field, arn }): Finding[] => {
            const env = render.environment;
            const at = {
              rule: this.id,
              environment: env.name,
              application: app.application,
              object: objectName(object),
              field,
            };
            const account = typeof arn === 'string' ? ROLE_ARN.exec(arn)?.[1] : undefined;
            if (!account)
              return [
                {
                  ...at,
                  message: `${JSON.stringify(arn ?? null)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`,
                  fix: 'write the ARN of the role the pods assume, e.g. arn:aws:iam::123456789012:role/orders.',
                },
              ];
            const expected = env.aws?.accountId;
            if (!expected)
              return [
                {
                  ...at,
                  message: `names a role in account ${account}, but ${paths.env(env.name)} names no aws.accountId to check it against.`,
                  fix: `set aws.accountId: "<the account of the ${env.name} cluster>" in ${paths.env(env.name)}.`,
                },
              ];
            if (account === expected) return [];
            return [
              {
                ...at,
                message: `names a role in account ${account}, not ${env.name}'s account ${expected} (aws.accountId in ${paths.env(env.name)}).`,
                fix: `use a role in account ${expected}; a pod never assumes another account's role directly.`,
              },
            ];
          }),
        ),
      ),
    );
  },
};
