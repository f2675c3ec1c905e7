export interface ServiceGeneratorSchema {
  name: string;
  kind?: 'stateless' | 'stateful';
  image: string;
  tag?: string;
  port?: number | string;
  serviceType?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  ingressPath?: string;
  ingressHost?: string;
  storage?: string;
  envs?: string;
  dependsOn?: string;
  monitoring?: boolean;
  owner?: string;
}
