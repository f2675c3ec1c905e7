// The kubeconfig files of the cluster: one per client identity, certificates inlined so a file works on its own.
import { readFileSync } from 'node:fs';

export interface KubeconfigInput {
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  user: string;
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** The kubeconfig text (JSON is YAML, and needs no quoting rules): context "berth-cluster", namespace default. */
export function kubeconfigText(input: KubeconfigInput): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'berth-cluster', cluster: { server: input.server, 'certificate-authority-data': base64(input.caPem) } },
    ],
    users: [
      {
        name: input.user,
        user: { 'client-certificate-data': base64(input.certPem), 'client-key-data': base64(input.keyPem) },
      },
    ],
    contexts: [
      { name: 'berth-cluster', context: { cluster: 'berth-cluster', user: input.user, namespace: 'default' } },
    ],
    'current-context': 'berth-cluster',
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export function kubeconfigFor(server: string, ca: string, cert: string, key: string, user: string): string {
  const read = (file: string) => readFileSync(file, 'utf8');
  return kubeconfigText({ server, caPem: read(ca), certPem: read(cert), keyPem: read(key), user });
}
