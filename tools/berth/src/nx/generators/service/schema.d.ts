export interface ServiceGeneratorSchema {
  name: string;
  kind?: 'stateless' | 'stateful' | 'scheduled';
  image: string;
  tag?: string;
  port?: number | string;
  serviceType?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  ingressPath?: string;
  ingressHost?: string;
  storage?: string;
  schedule?: string;
  envs?: string;
  dependsOn?: string;
  monitoring?: boolean;
  owner?: string;
}
