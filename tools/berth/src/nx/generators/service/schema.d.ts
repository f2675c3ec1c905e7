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
  /** Leave the derived files to one `nx sync` at the end of a batch. */
  skipSync?: boolean;
}
