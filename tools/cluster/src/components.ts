// The control plane as a table: each component's command line and health endpoint, in start order. Pure, so the
// flags that matter (Node,RBAC authorization, PodSecurity admission, loopback only) are visible and tested.
import type { Component } from './build';
import { SERVICE_CIDR, type Pki } from './pki';

export interface Ports {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
  provisioner: number;
}

export interface ComponentPlan {
  name: Component;
  args: string[];
  /** the URL that answers 200 once the component is healthy */
  health: string;
  /** which client certificate the health check presents ('none': a plain or always-allowed endpoint) */
  healthAuth: 'admin' | 'none';
}

export interface PlanInput {
  ports: Ports;
  pki: Pki;
  etcdData: string;
  /** the kubeconfig file of each client identity */
  kubeconfigs: Record<'admin' | 'kube-controller-manager' | 'kube-scheduler', string>;
  kwokStages: string;
}

export const HOST = '127.0.0.1';

export function componentPlans(input: PlanInput): ComponentPlan[] {
  const { ports, pki, kubeconfigs } = input;
  const etcdUrl = `http://${HOST}:${ports.etcdClient}`;
  const peerUrl = `http://${HOST}:${ports.etcdPeer}`;
  const componentAuth = (kubeconfig: string) => [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    `--bind-address=${HOST}`,
    '--leader-elect=false',
  ];
  return [
    {
      name: 'etcd',
      args: [
        '--name=berth',
        `--data-dir=${input.etcdData}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=berth=${peerUrl}`,
        '--log-level=warn',
      ],
      health: `${etcdUrl}/health`,
      healthAuth: 'none',
    },
    {
      name: 'kube-apiserver',
      args: [
        `--etcd-servers=${etcdUrl}`,
        `--bind-address=${HOST}`,
        `--advertise-address=${HOST}`,
        `--secure-port=${ports.apiserver}`,
        `--tls-cert-file=${pki.serverCert}`,
        `--tls-private-key-file=${pki.serverKey}`,
        `--client-ca-file=${pki.ca}`,
        `--service-account-key-file=${pki.serviceAccountPublicKey}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        '--authorization-mode=Node,RBAC',
        // PodSecurity is on by default; named so that turning it off is a visible change
        '--enable-admission-plugins=NodeRestriction,PodSecurity',
        '--allow-privileged=true',
        '--profiling=false',
      ],
      health: `https://${HOST}:${ports.apiserver}/readyz`,
      healthAuth: 'admin',
    },
    {
      name: 'kube-controller-manager',
      args: [
        ...componentAuth(kubeconfigs['kube-controller-manager']),
        `--secure-port=${ports.controllerManager}`,
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.ca}`,
        `--cluster-signing-cert-file=${pki.ca}`,
        `--cluster-signing-key-file=${pki.caKey}`,
        '--use-service-account-credentials=true',
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        '--controllers=*',
        '--profiling=false',
      ],
      health: `https://${HOST}:${ports.controllerManager}/healthz`,
      healthAuth: 'none',
    },
    {
      name: 'kube-scheduler',
      args: [...componentAuth(kubeconfigs['kube-scheduler']), `--secure-port=${ports.scheduler}`, '--profiling=false'],
      health: `https://${HOST}:${ports.scheduler}/healthz`,
      healthAuth: 'none',
    },
    {
      name: 'kwok',
      args: [
        `--kubeconfig=${kubeconfigs.admin}`,
        `--config=${input.kwokStages}`,
        '--manage-all-nodes=false',
        `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
        '--node-lease-duration-seconds=40',
        '--cidr=10.244.0.0/16',
        `--node-ip=${HOST}`,
        `--server-address=${HOST}:${ports.kwok}`,
      ],
      health: `http://${HOST}:${ports.kwok}/healthz`,
      healthAuth: 'none',
    },
    {
      name: 'provisioner',
      args: [`--kubeconfig=${kubeconfigs.admin}`, `--health-address=${HOST}:${ports.provisioner}`],
      health: `http://${HOST}:${ports.provisioner}/healthz`,
      healthAuth: 'none',
    },
  ];
}

/** The annotation by which kwok picks the nodes it fakes. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

/** A node kwok keeps Ready: no kubelet behind it, so pods on it become Running without running anything. */
export function fakeNode(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'node.kubernetes.io/instance-type': 'kwok',
        type: 'kwok',
      },
    },
    status: {
      allocatable: { cpu: '16', memory: '64Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      capacity: { cpu: '16', memory: '64Gi', pods: '110', 'ephemeral-storage': '100Gi' },
    },
  };
}
