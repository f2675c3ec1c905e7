export interface EnvironmentGeneratorSchema {
  name: string;
  promotesFrom: string;
  namespace?: string;
  domain?: string;
  server?: string;
  kubeVersion?: string;
  autoSync?: boolean;
  promotion?: 'push' | 'pr';
}
