// The pure parts of the cluster tooling: versions read from go.mod, what the cache must rebuild, the flags that
// make the control plane what berth tests against.
import { describe, expect, it } from 'vitest';
import { expectedRecords, staleEntries, versionLdflags } from '../src/build';
import { componentPlans, type Ports } from '../src/components';
import { kubeconfigText } from '../src/kubeconfig';
import { pkiFiles } from '../src/pki';
import { componentVersions } from '../src/versions';

const GO_MOD = `module x

require go.etcd.io/etcd/server/v3 v3.6.13

require (
\tk8s.io/kubernetes v1.36.3 // indirect
\tsigs.k8s.io/kwok v0.8.0 // indirect
)
`;

describe('componentVersions', () => {
  it('reads the releases go.mod requires, in either require form', () => {
    expect(componentVersions(GO_MOD)).toEqual({ kubernetes: '1.36.3', etcd: '3.6.13', kwok: '0.8.0' });
  });

  it('names go.mod and the script that regenerates it when a requirement is missing', () => {
    expect(() => componentVersions(GO_MOD.replace(/^.*kwok.*$/m, ''), 'tools/cluster/go.mod')).toThrow(
      /tools\/cluster\/go.mod: require: go.mod requires no release of sigs.k8s.io\/kwok[\s\S]*pin-versions.sh/,
    );
  });

  it('does not take a k8s.io/kubernetes replace or a pseudo-version for a release', () => {
    expect(() => componentVersions('require k8s.io/kubernetes-tools v1.2.3\n')).toThrow(/k8s.io\/kubernetes/);
  });
});

describe('staleEntries', () => {
  const versions = { kubernetes: '1.36.3', etcd: '3.6.13', kwok: '0.8.0' };
  const expected = expectedRecords(versions, 'go1.26.8', 'sum');

  it('rebuilds nothing when every record matches and every file is there', () => {
    expect(staleEntries(expected, expected, () => true)).toEqual([]);
  });

  it('rebuilds what another version, Go release or go.sum built, and what is missing on disk', () => {
    const recorded = { ...expected, etcd: expectedRecords({ ...versions, etcd: '3.6.12' }, 'go1.26.8', 'sum').etcd };
    expect(staleEntries(expected, recorded, (name) => name !== 'kwok')).toEqual(['etcd', 'kwok']);
    const otherSum = expectedRecords(versions, 'go1.26.8', 'other sum');
    expect(staleEntries(otherSum, expected, () => true)).toEqual([
      'etcd',
      'kube-apiserver',
      'kube-controller-manager',
      'kube-scheduler',
      'kwok',
      'provisioner',
    ]);
  });
});

describe('versionLdflags', () => {
  it("stamps the release into both version packages, as Kubernetes' own build does", () => {
    const flags = versionLdflags('1.36.3');
    for (const pkg of ['k8s.io/client-go/pkg/version', 'k8s.io/component-base/version']) {
      expect(flags).toContain(`-X ${pkg}.gitVersion=v1.36.3`);
      expect(flags).toContain(`-X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=36`);
    }
  });
});

describe('componentPlans', () => {
  const ports: Ports = {
    etcdClient: 1,
    etcdPeer: 2,
    apiserver: 3,
    controllerManager: 4,
    scheduler: 5,
    kwok: 6,
    provisioner: 7,
  };
  const kubeconfigs = { admin: '/a', 'kube-controller-manager': '/c', 'kube-scheduler': '/s' };
  const plans = componentPlans({ ports, pki: pkiFiles('/pki'), etcdData: '/data', kubeconfigs, kwokStages: '/k' });
  const args = (name: string) => plans.find((plan) => plan.name === name)?.args ?? [];

  it('starts etcd first, then the control plane, then kwok and the volume provisioner that need it', () => {
    expect(plans.map((plan) => plan.name)).toEqual([
      'etcd',
      'kube-apiserver',
      'kube-controller-manager',
      'kube-scheduler',
      'kwok',
      'provisioner',
    ]);
  });

  it('authorizes like EKS and admits with Pod Security', () => {
    expect(args('kube-apiserver')).toContain('--authorization-mode=Node,RBAC');
    expect(args('kube-apiserver')).toContain('--enable-admission-plugins=NodeRestriction,PodSecurity');
  });

  it('listens on 127.0.0.1 only', () => {
    for (const plan of plans) expect(new URL(plan.health).hostname).toBe('127.0.0.1');
    const addresses = plans.flatMap((plan) =>
      plan.args.filter((arg) => /(bind-address|listen-.*urls|health-address)=/.test(arg)),
    );
    expect(addresses.length).toBeGreaterThanOrEqual(4);
    for (const address of addresses) expect(address).toMatch(/=(http:\/\/)?127\.0\.0\.1(:\d+)?$/);
  });
});

describe('kubeconfigText', () => {
  it('inlines the certificates, so the file works wherever it is copied', () => {
    const config = JSON.parse(
      kubeconfigText({ server: 'https://127.0.0.1:3', caPem: 'CA', certPem: 'CERT', keyPem: 'KEY', user: 'u' }),
    );
    expect(config.clusters[0].cluster['certificate-authority-data']).toBe(Buffer.from('CA').toString('base64'));
    expect(config.users[0].user['client-key-data']).toBe(Buffer.from('KEY').toString('base64'));
    expect(config['current-context']).toBe('berth-cluster');
  });
});
