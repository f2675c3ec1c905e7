// The promotion graph as env.yaml's promotesFrom draws it: a tree of environments, each path from a first one: pure.

export interface PromotionNode {
  name: string;
  /** The environments that promote from this one, in the order given. */
  next: PromotionNode[];
}

/** `environments` in promotion order (each after its source), as the workspace loads them. */
export function promotionTree(environments: { name: string; promotesFrom: string | null }[]): PromotionNode[] {
  const nodes = new Map(environments.map((env) => [env.name, { name: env.name, next: [] } as PromotionNode]));
  const roots: PromotionNode[] = [];
  for (const env of environments) {
    const node = nodes.get(env.name)!;
    const source = env.promotesFrom ? nodes.get(env.promotesFrom) : undefined;
    // an unknown source cannot come from a loaded workspace (it refuses one); show the environment as a first one
    if (source) source.next.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Every path from a first environment to a last one: [["dev", "qa"], ["dev", "stage", "prod"]]. */
export function promotionPaths(environments: { name: string; promotesFrom: string | null }[]): string[][] {
  const paths: string[][] = [];
  const walk = (node: PromotionNode, trail: string[]) => {
    const path = [...trail, node.name];
    if (node.next.length === 0) paths.push(path);
    for (const next of node.next) walk(next, path);
  };
  for (const root of promotionTree(environments)) walk(root, []);
  return paths;
}

/** "dev -> qa, dev -> stage -> prod": the paths in one line, as the text output and its tests read it. */
export const promotionText = (paths: string[][], arrow = ' -> ') => paths.map((path) => path.join(arrow)).join(', ');
