export interface AddonGeneratorSchema {
  name: string;
  chart?: string;
  repo: string;
  version: string;
  namespace?: string;
  envs?: string;
  dependsOn?: string;
  serves?: string;
  clusterKinds?: string;
  namespacedKinds?: string;
  serverSideApply?: boolean;
  providedByAutoMode?: boolean;
  owner?: string;
}
