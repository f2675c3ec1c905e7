// Puts a planned promotion through the target's promotion.gates: asks Argo CD about the source when a gate needs it,
// refuses with each gate's reason and when it would pass, or, with --force --reason, records what was overridden.
import { BerthError } from '../errors';
import { getApplication } from '../argocd-api/client';
import { connectionFromEnv, type ArgoConnection } from '../argocd-api/connection';
import type { LiveApplication } from '../argocd-api/application';
import { commitMessage } from '../git/trailers';
import { createLimiter } from '../registry/limiter';
import { diskFiles } from '../workspace/files';
import { isAddon, paths } from '../workspace/model';
import { applicationName } from '../workspace/names';
import { readOverlay } from '../workspace/overlay';
import { imageRepository } from '../workspace/values';
import { evaluateGates, needsArgoCD, type GateRefusal, type GatedService } from './gates';
import type { Plan } from './plan';

export interface GateOptions {
  /** Promote although a gate refuses; needs `reason`, which the commit records. */
  force?: boolean;
  reason?: string;
  /** The clock, in milliseconds since the epoch (tests); now by default. */
  now?: number;
  /** Where Argo CD is; read from ARGOCD_SERVER and ARGOCD_AUTH_TOKEN when undefined, none when null. */
  argocd?: ArgoConnection | null;
}

/** What a forced promotion went past. */
export interface ForcedGates {
  refusals: GateRefusal[];
  reason: string;
}

/** A plan past its gates: what to commit, and what --force overrode. */
export interface GatedPlan {
  plan: Plan;
  forced?: ForcedGates;
}

/** --force needs --reason (the commit records why), and --reason alone says nothing. */
export function checkForceOptions(options: GateOptions): void {
  if (options.force && !options.reason?.trim())
    throw new BerthError('--force needs --reason: the commit records why the promotion went past its gates.', {
      fix: 'pass --force --reason "TEXT" (a ticket, an incident, who agreed), or promote without --force.',
    });
  if (options.reason !== undefined && !options.force)
    throw new BerthError('--reason is only for --force (it records why the gates were overridden).', {
      fix: 'drop --reason, or pass --force --reason TEXT to promote past a refusing gate.',
    });
}

const describeRefusal = (refusal: GateRefusal) =>
  `${refusal.gate}${refusal.service ? ` (${refusal.service})` : ''}: ${refusal.problem}`;

/** Each refusal on its line, with its fix: the message of a refused promotion. */
function refusalError(plan: Plan, refusals: GateRefusal[]): BerthError {
  const { source, target } = plan.request;
  const lines = refusals.map(
    (refusal) => `  ${describeRefusal(refusal)}${refusal.fix ? `\n    Fix: ${refusal.fix}` : ''}`,
  );
  const gates = [...new Set(refusals.map((refusal) => refusal.gate))];
  return new BerthError(
    `${target.name}'s promotion gates refuse promoting from ${source.name} now (${gates.join(', ')}):\n${lines.join('\n')}`,
    {
      file: paths.env(target.name),
      field:
        gates.length === 1
          ? `promotion.gates.${gates[0] === 'freeze' ? 'freezes' : gates[0] === 'window' ? 'windows' : gates[0]}`
          : 'promotion.gates',
      fix: 'wait until each gate passes as said above, or pass --force --reason TEXT (the commit records it). berth changed nothing.',
    },
  );
}

async function liveApplications(
  plan: Plan,
  connection: ArgoConnection | undefined,
): Promise<Map<string, LiveApplication>> {
  const live = new Map<string, LiveApplication>();
  if (!connection) return live;
  const limiter = createLimiter(4);
  await Promise.all(
    plan.promoted.map((decision) =>
      limiter.run(async () => {
        const name = applicationName(plan.request.source.name, decision.service);
        live.set(decision.service, await getApplication(connection, name, plan.settings.argocdNamespace));
      }),
    ),
  );
  return live;
}

/**
 * The plan as it may be committed: unchanged when every gate passes; with Berth-Forced and Berth-Reason in each block
 * when --force went past a refusal. Throws the refusal otherwise. `dir` is the checkout the plan was made in.
 */
export async function applyGates(dir: string, plan: Plan, options: GateOptions): Promise<GatedPlan> {
  checkForceOptions(options);
  const { source, target } = plan.request;
  const gates = target.promotion.gates;
  if (!plan.promoted.length) return { plan };
  const connection =
    options.argocd === null ? undefined : (options.argocd ?? (needsArgoCD(gates) ? connectionFromEnv() : undefined));
  let live = new Map<string, LiveApplication>();
  let unasked: GateRefusal | undefined;
  try {
    if (needsArgoCD(gates)) live = await liveApplications(plan, connection);
  } catch (error) {
    // without --force the error itself says what to do; with it, a gate berth could not check is one it went past
    if (!options.force || !(error instanceof BerthError)) throw error;
    unasked = { gate: gates.soak ? 'soak' : 'healthy', problem: `not checked: ${error.problem}`, fix: error.fix };
  }
  const files = diskFiles(dir);
  const services: GatedService[] = plan.promoted.map((decision) => {
    const service = plan.request.services.find((candidate) => candidate.name === decision.service)!;
    const addon = isAddon(service);
    return {
      service: decision.service,
      application: applicationName(source.name, decision.service),
      version: decision.to!,
      addon,
      ...(addon ? {} : { repository: imageRepository(files, source.name, decision.service) }),
      pinsChartRevision:
        !addon && readOverlay(files, source.name, decision.service).version.chartRevision !== undefined,
      live: live.get(decision.service),
    };
  });
  const evaluated = evaluateGates({
    gates,
    source: source.name,
    target: target.name,
    now: options.now ?? Date.now(),
    services,
  });
  // the healthy and soak refusals of a server berth could not ask say only that it was not set: the error says more
  const refusals = unasked ? [...evaluated.filter((refusal) => refusal.service === undefined), unasked] : evaluated;
  if (!refusals.length) return { plan };
  if (!options.force) throw refusalError(plan, refusals);
  const reason = options.reason!.trim();
  const forced = [...new Set(refusals.map((refusal) => refusal.gate))].join(', ');
  const records = plan.records.map((record) => ({ ...record, forced, reason }));
  return {
    plan: { ...plan, records, message: commitMessage(plan.subject, records) },
    forced: { refusals, reason },
  };
}
