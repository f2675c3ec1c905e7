export interface EnvironmentGeneratorSchema {
  name: string;
  promotesFrom?: string;
  before?: string;
  /** API server https URL, or the cluster's name in Argo CD. */
  cluster?: string;
  kubeVersion?: string;
  namespace?: string;
  domain?: string;
  region?: string;
  vpcCidr?: string;
  certificateArn?: string;
  secretsRole?: string;
  albGroup?: string;
  /** The EKS cluster name (env.yaml aws.clusterName); default: the source's with its name replaced. */
  clusterName?: string;
  vpcId?: string;
  autoSync?: boolean;
  promotion?: 'push' | 'pr';
}
