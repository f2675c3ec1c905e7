// Runs kubectl: the one place berth starts it. A run that kubectl itself fails is returned, not thrown, because its
// stderr is the answer the caller reads (the API server's verdict on an object); only a kubectl that cannot start throws.
import { BerthError } from '../errors';
import { outcomeOf, ProcessError } from '../util/process-error';

export interface KubectlTarget {
  kubectl: string;
  /** The kubeconfig context to use; the current context when undefined. */
  context?: string;
}

export interface KubectlRun {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** How long one request to the API server may take: a cluster that hangs is named, not waited for. */
const REQUEST_TIMEOUT = '30s';

export async function runKubectl(target: KubectlTarget, args: string[], input?: string): Promise<KubectlRun> {
  const { execa } = await import('execa');
  const fullArgs = [
    ...(target.context ? [`--context=${target.context}`] : []),
    `--request-timeout=${REQUEST_TIMEOUT}`,
    ...args,
  ];
  const result = await execa(target.kubectl, fullArgs, {
    input,
    reject: false,
    maxBuffer: 256 * 1024 * 1024,
    env: { LC_ALL: 'C' },
  });
  if (result.failed && result.exitCode === undefined) {
    // it never ran: a missing or broken binary
    const failure = new ProcessError(outcomeOf([target.kubectl, ...fullArgs], undefined, result));
    throw new BerthError(`kubectl could not run: ${failure.message}`, {
      fix: 'check BERTH_KUBECTL, or run "npm ci" to reinstall the bundled kubectl.',
      cause: failure,
    });
  }
  return { ok: result.exitCode === 0, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '').trim() };
}
