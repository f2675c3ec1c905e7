// AWS names a new repository derives from the account and region: ARN partition, ECR registry, ARNs.

export function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The account's private ECR registry host in that region. */
export function ecrRegistry(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

export function iamRoleArn(account: string, region: string, role: string): string {
  return `arn:${partition(region)}:iam::${account}:role/${role}`;
}

/** A placeholder certificate ARN in the right account and region, for the person to replace with the real one. */
export function placeholderCertificateArn(account: string, region: string): string {
  return `arn:${partition(region)}:acm:${region}:${account}:certificate/00000000-0000-0000-0000-000000000000`;
}

const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\//;

/** A private ECR image repository moved to another registry (the example's images follow the new account); others stay. */
export function retargetEcrImage(repository: string, registry: string): string {
  return repository.replace(ECR_IMAGE, `${registry}/`);
}
