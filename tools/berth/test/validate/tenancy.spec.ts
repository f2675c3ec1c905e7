// secret-store and aws-account: an environment reads only its own SecretStore and keys, and names only IAM roles of its own account.
import { awsAccountRule, secretStoreRule } from '../../src/validate/rules/tenancy';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const externalSecret = (p: Platform, env = 'dev'): KubeObject => p.object(env, 'service-b', 'ExternalSecret/service-b');
const esAt = (field: string, env = 'dev') => ({
  environment: env,
  application: `${env}-service-b`,
  object: 'ExternalSecret/service-b',
  field,
});
const serviceAccount = (p: Platform, service = 'service-a', env = 'dev'): KubeObject =>
  p.object(env, service, `ServiceAccount/${service}`);
const irsa = (arn: unknown) => (p: Platform) =>
  (serviceAccount(p).metadata.annotations = { 'eks.amazonaws.com/role-arn': arn });
const saAt = {
  environment: 'dev',
  application: 'dev-service-a',
  object: 'ServiceAccount/service-a',
  field: 'metadata.annotations.eks.amazonaws.com/role-arn',
};
const push = (object: KubeObject) => (p: Platform) =>
  p.app('dev', 'service-a').objects.push({ metadata: { name: 'extra', namespace: 'dev' }, ...object });

describeRule(secretStoreRule, {
  accepts: [
    {
      name: 'a store reference without kind (SecretStore is the default)',
      change: (p) => delete externalSecret(p).spec.secretStoreRef.kind,
    },
    {
      name: 'dataFrom extract and find under the prefix',
      change: (p) =>
        (externalSecret(p).spec.dataFrom = [
          { extract: { key: 'berth/dev/service-b/extra' } },
          { find: { path: 'berth/dev/service-b/', name: { regexp: '.*' } } },
        ]),
    },
    {
      name: "a per-item store that is the environment's",
      change: (p) =>
        (externalSecret(p).spec.data[0].sourceRef = { storeRef: { name: 'aws-secrets-manager', kind: 'SecretStore' } }),
    },
    {
      name: "a PushSecret into the environment's store and prefix",
      change: push({
        apiVersion: 'external-secrets.io/v1alpha1',
        kind: 'PushSecret',
        spec: {
          secretStoreRefs: [{ name: 'aws-secrets-manager', kind: 'SecretStore' }],
          data: [{ match: { secretKey: 'x', remoteRef: { remoteKey: 'berth/dev/service-a/x' } } }],
        },
      }),
    },
  ],
  rejects: [
    {
      name: 'a ClusterSecretStore',
      change: (p) =>
        (externalSecret(p).spec.secretStoreRef = { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' }),
      finding: esAt('spec.secretStoreRef.kind'),
      message: /ClusterSecretStore/,
    },
    {
      name: "another store's name",
      change: (p) => (externalSecret(p).spec.secretStoreRef.name = 'prod-store'),
      finding: esAt('spec.secretStoreRef.name'),
      message: /prod-store/,
    },
    {
      name: "a key under prod's prefix from dev",
      change: (p) => (externalSecret(p).spec.data[1].remoteRef.key = 'berth/prod/service-b/db'),
      finding: esAt('spec.data[1].remoteRef.key'),
      message: /outside dev's prefix berth\/dev\//,
    },
    {
      name: 'a key by ARN in another account',
      change: (p) =>
        (externalSecret(p).spec.data[0].remoteRef.key = 'arn:aws:secretsmanager:eu-west-1:999999999999:secret:db'),
      finding: esAt('spec.data[0].remoteRef.key'),
    },
    {
      name: "a prod ExternalSecret reading dev's keys",
      change: (p) => (externalSecret(p, 'prod').spec.data[0].remoteRef.key = 'berth/dev/service-b/db'),
      finding: esAt('spec.data[0].remoteRef.key', 'prod'),
    },
    {
      name: 'dataFrom extract outside the prefix',
      change: (p) => (externalSecret(p).spec.dataFrom = [{ extract: { key: 'berth/prod/all' } }]),
      finding: esAt('spec.dataFrom[0].extract.key'),
    },
    {
      name: 'dataFrom find across the whole store',
      change: (p) => (externalSecret(p).spec.dataFrom = [{ find: { name: { regexp: '.*' } } }]),
      finding: esAt('spec.dataFrom[0].find.path'),
      message: /whole store/,
    },
    {
      name: 'a per-item ClusterSecretStore',
      change: (p) =>
        (externalSecret(p).spec.data[0].sourceRef = { storeRef: { name: 'global', kind: 'ClusterSecretStore' } }),
      finding: [esAt('spec.data[0].sourceRef.storeRef.kind'), esAt('spec.data[0].sourceRef.storeRef.name')],
    },
    {
      name: "a PushSecret writing prod's keys",
      change: push({
        kind: 'PushSecret',
        spec: {
          secretStoreRefs: [{ name: 'aws-secrets-manager' }],
          data: [{ match: { remoteRef: { remoteKey: 'berth/prod/x' } } }],
        },
      }),
      finding: {
        environment: 'dev',
        application: 'dev-service-a',
        object: 'PushSecret/extra',
        field: 'spec.data[0].match.remoteRef.remoteKey',
      },
    },
    {
      name: 'a ClusterSecretStore made by a service',
      change: push({
        kind: 'ClusterSecretStore',
        spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-west-1' } } },
      }),
      finding: { environment: 'dev', application: 'dev-service-a', object: 'ClusterSecretStore/extra', field: 'kind' },
    },
    {
      name: 'a ClusterExternalSecret',
      change: push({ kind: 'ClusterExternalSecret', spec: {} }),
      finding: {
        environment: 'dev',
        application: 'dev-service-a',
        object: 'ClusterExternalSecret/extra',
        field: 'kind',
      },
    },
  ],
});

describeRule(awsAccountRule, {
  accepts: [
    { name: "an IRSA role in the environment's account", change: irsa('arn:aws:iam::123456789012:role/service-a') },
    { name: 'a role with a path', change: irsa('arn:aws:iam::123456789012:role/teams/web/service-a') },
    { name: 'an empty role annotation (no IRSA role)', change: irsa('') },
    {
      name: 'a Pod Identity association in the account',
      change: push({
        apiVersion: 'eks.services.k8s.aws/v1alpha1',
        kind: 'PodIdentityAssociation',
        spec: {
          clusterName: 'dev',
          roleARN: 'arn:aws:iam::123456789012:role/service-a',
          serviceAccount: 'service-a',
          namespace: 'dev',
        },
      }),
    },
  ],
  rejects: [
    {
      name: 'an IRSA role in another account',
      change: irsa('arn:aws:iam::999999999999:role/prod-admin'),
      finding: saAt,
      message: /account 999999999999, not dev's account 123456789012/,
    },
    {
      name: "cluster-base's External Secrets role in another account",
      change: (p) =>
        (p.object('prod', 'cluster-base', 'ServiceAccount/external-secrets').metadata.annotations[
          'eks.amazonaws.com/role-arn'
        ] = 'arn:aws:iam::999999999999:role/x'),
      finding: {
        environment: 'prod',
        application: 'prod-cluster-base',
        object: 'ServiceAccount/external-secrets',
        field: 'metadata.annotations.eks.amazonaws.com/role-arn',
      },
    },
    {
      name: 'a role annotation that is not an ARN',
      change: irsa('prod-admin'),
      finding: saAt,
      message: /not an IAM role ARN/,
    },
    {
      name: 'a Pod Identity association in another account',
      change: push({ kind: 'PodIdentityAssociation', spec: { roleARN: 'arn:aws:iam::999999999999:role/x' } }),
      finding: {
        environment: 'dev',
        application: 'dev-service-a',
        object: 'PodIdentityAssociation/extra',
        field: 'spec.roleARN',
      },
    },
    {
      name: 'a SecretStore that assumes a role in another account',
      change: (p) =>
        (p.object('dev', 'cluster-base', 'SecretStore/aws-secrets-manager').spec.provider.aws.role =
          'arn:aws:iam::999999999999:role/reader'),
      finding: {
        environment: 'dev',
        application: 'dev-cluster-base',
        object: 'SecretStore/aws-secrets-manager',
        field: 'spec.provider.aws.role',
      },
    },
    {
      name: 'a role where env.yaml names no account',
      change: (p) => {
        delete p.context.workspace.environments[0].aws;
        irsa('arn:aws:iam::123456789012:role/service-a')(p);
      },
      finding: [
        {
          environment: 'dev',
          application: 'dev-cluster-base',
          object: 'ServiceAccount/external-secrets',
          field: 'metadata.annotations.eks.amazonaws.com/role-arn',
        },
        saAt,
      ],
      message: /names no aws.accountId/,
    },
  ],
});
