// The image tag policy engine of `berth image-update`: pure and synchronous; the registry and git live elsewhere.
export { describePolicy, explainSelection } from './explain';
export { mergePolicies } from './merge';
export { parsePolicy } from './parse';
export {
  policyNeedsCreationTime,
  STRATEGIES,
  type ImagePolicy,
  type Selection,
  type Strategy,
  type TagCandidate,
  type TagVerdict,
} from './policy';
export { selectTag } from './select';
