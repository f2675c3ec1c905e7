// Decides whether env.yaml's promotion.gates let a promotion in now, and when each refusal would pass: pure (the
// settings, the clock and what Argo CD says of the source are inputs), so tests read as tables.
//
// Windows combine as Argo CD's syncWindows do (pkg/apis/application/v1alpha1 SyncWindows.CanSync): an active deny
// window refuses; otherwise an active allow window lets it in; otherwise any allow window refuses (it is closed);
// no windows let it in. A freeze refuses from `from` until `until`. A window is open from each time its schedule fires
// for `duration`.
import type { LiveApplication } from '../argocd-api/application';
import { comparedWith, lastDeploy, syncedRevisions } from '../argocd-api/application';
import { formatDuration } from '../util/duration';
import { wallTime } from '../util/time-zone';
import type { DeployedVersion } from '../workspace/overlay';
import type { PromotionFreeze, PromotionGates, PromotionWindow } from '../workspace/model';
import { nextFire, parseCron } from './cron-fires';
import { runsImage } from '../argocd-api/images';

export { runsImage } from '../argocd-api/images';

export type GateName = 'freeze' | 'window' | 'healthy' | 'soak';

export interface GateRefusal {
  gate: GateName;
  /** The service whose source Application refused it (healthy, soak); absent for the environment's time gates. */
  service?: string;
  problem: string;
  /** When the gate would pass, as far as can be told (the window opens, the freeze ends, the soak is over). */
  passesAt?: number;
  fix?: string;
}

/** One service the promotion moves, as the healthy and soak gates see it. */
export interface GatedService {
  service: string;
  /** The source environment's Argo CD Application. */
  application: string;
  /** The version promoted: what the source runs. */
  version: DeployedVersion;
  /** Add-ons are checked by chart version; services by image (and the chart revision the source pins, if any). */
  addon: boolean;
  /** The image repository the source deploys (values image.repository). */
  repository?: string;
  /** Whether the source's overlay pins chartRevision (an environment following the branch does not). */
  pinsChartRevision: boolean;
  /** What Argo CD says of the Application; undefined when Argo CD is not configured. */
  live?: LiveApplication;
}

export interface GateInput {
  gates: PromotionGates;
  source: string;
  target: string;
  now: number;
  services: GatedService[];
}

/** How far ahead berth looks for the next open moment. */
const HORIZON_MS = 400 * 86_400_000;

export const needsArgoCD = (gates: PromotionGates) => gates.healthy || gates.soak !== undefined;

export function evaluateGates(input: GateInput): GateRefusal[] {
  return [...timeGates(input.gates, input.now), ...input.services.flatMap((service) => healthGates(input, service))];
}

// ---- windows and freezes ----

interface Closed {
  gate: 'freeze' | 'window';
  problem: string;
  /** The zone of the freeze or windows that close it, for messages. */
  timeZone: string;
  /** The moment this reason ends; undefined when it never does within the horizon. */
  until?: number;
}

/** Whether window `window` is open at `at`: the fire time it is open from, or undefined. */
function openedAt(window: PromotionWindow, at: number): number | undefined {
  return nextFire(parseCron(window.schedule), at - window.durationMs + 1, window.timeZone, at);
}

/** How many fires in a row berth follows to find where an open window closes. */
const MAX_CHAINED_FIRES = 10_000;

/**
 * When a window open since the fire `opened` closes: each fire before the open span ends extends it. Undefined when
 * it stays open through MAX_CHAINED_FIRES fires (a deny window that never lets go).
 */
function closesAt(window: PromotionWindow, opened: number): number | undefined {
  const schedule = parseCron(window.schedule);
  let last = opened;
  for (let fires = 0; fires < MAX_CHAINED_FIRES; fires++) {
    const next = nextFire(schedule, last + 1, window.timeZone, last + window.durationMs);
    if (next === undefined) return last + window.durationMs;
    last = next;
  }
  return undefined;
}

const describeWindow = (window: PromotionWindow) =>
  `${window.kind} window "${window.schedule}" for ${window.duration} (${window.timeZone})${window.description ? `, ${window.description}` : ''}`;

const describeFreeze = (freeze: PromotionFreeze) =>
  `the freeze from ${freeze.from} until ${freeze.until}${freeze.reason ? ` (${freeze.reason})` : ''}`;

/** Why promotions are closed at `at`, or undefined when they are open. */
function closedAt(gates: PromotionGates, at: number): Closed | undefined {
  const freezes = gates.freezes.filter((freeze) => freeze.fromMs <= at && at < freeze.untilMs);
  if (freezes.length) {
    const longest = freezes.reduce((a, b) => (b.untilMs > a.untilMs ? b : a));
    return {
      gate: 'freeze',
      problem: `${describeFreeze(longest)} is on`,
      until: longest.untilMs,
      timeZone: longest.timeZone,
    };
  }
  const denies = gates.windows
    .filter((window) => window.kind === 'deny')
    .flatMap((window) => {
      const opened = openedAt(window, at);
      return opened === undefined ? [] : [{ window, until: closesAt(window, opened) }];
    });
  if (denies.length) {
    const end = (until: number | undefined) => until ?? Infinity;
    const longest = denies.reduce((a, b) => (end(b.until) > end(a.until) ? b : a));
    return {
      gate: 'window',
      problem: `the ${describeWindow(longest.window)} is open`,
      until: longest.until,
      timeZone: longest.window.timeZone,
    };
  }
  const allows = gates.windows.filter((window) => window.kind === 'allow');
  if (!allows.length || allows.some((window) => openedAt(window, at) !== undefined)) return undefined;
  const opens = allows
    .map((window) => nextFire(parseCron(window.schedule), at, window.timeZone, at + HORIZON_MS))
    .filter((time): time is number => time !== undefined);
  return {
    gate: 'window',
    problem: `no allow window is open (${allows.map(describeWindow).join('; ')})`,
    until: opens.length ? Math.min(...opens) : undefined,
    timeZone: zoneOf(allows),
  };
}

/**
 * The first moment at or after `now` every window and freeze lets a promotion in; undefined when no window opens within
 * 400 days of a moment it is closed (or a thousand openings and closings go by without one).
 */
export function nextOpening(gates: PromotionGates, now: number): number | undefined {
  let at = now;
  for (let step = 0; step < 1000; step++) {
    const closed = closedAt(gates, at);
    if (!closed) return at;
    if (closed.until === undefined) return undefined;
    at = closed.until;
  }
  return undefined;
}

function timeGates(gates: PromotionGates, now: number): GateRefusal[] {
  const closed = closedAt(gates, now);
  if (!closed) return [];
  const opens = nextOpening(gates, now);
  return [
    {
      gate: closed.gate,
      problem: `${closed.problem}.`,
      ...(opens !== undefined ? { passesAt: opens } : {}),
      fix:
        opens === undefined
          ? 'berth found no moment ahead when every window and freeze lets a promotion in: correct promotion.gates, or pass --force --reason TEXT.'
          : `promote when it opens (${describeAt(opens, now, closed.timeZone)}), or pass --force --reason TEXT.`,
    },
  ];
}

/** The zone windows are written in, for messages; UTC when they name several. */
function zoneOf(windows: PromotionWindow[]): string {
  const zones = new Set(windows.map((window) => window.timeZone));
  return zones.size === 1 ? [...zones][0] : 'UTC';
}

/** "2026-12-03 09:00 Europe/Berlin (08:00 UTC, in 15h 12m)". */
export function describeAt(at: number, now: number, timeZone = 'UTC'): string {
  const clock = (zone: string) => {
    const wall = wallTime(at, zone);
    const pad = (n: number) => String(n).padStart(2, '0');
    return { date: `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`, time: `${pad(wall.hour)}:${pad(wall.minute)}` };
  };
  const local = clock(timeZone);
  const utc = clock('UTC');
  const relative = at > now ? `in ${formatDuration(at - now)}` : 'now';
  if (timeZone === 'UTC') return `${utc.date} ${utc.time} UTC, ${relative}`;
  return `${local.date} ${local.time} ${timeZone} (${utc.date === local.date ? '' : `${utc.date} `}${utc.time} UTC, ${relative})`;
}

// ---- healthy and soak ----

/** What Argo CD must say for the source to count as running `version` Synced and Healthy; the problem otherwise. */
function healthProblem(service: GatedService, live: LiveApplication): string | undefined {
  const name = `${service.application}`;
  if (live.sync.status !== 'Synced')
    return `${name} is ${live.sync.status} in Argo CD, not Synced${conditionText(live)}`;
  if (live.health.status !== 'Healthy') return `${name} is ${live.health.status}, not Healthy${conditionText(live)}`;
  if (live.operation?.phase === 'Running')
    return `${name} is being synced right now (${live.operation.message ?? 'running'})`;
  if (service.addon) {
    const revisions = syncedRevisions(live);
    // an OCI chart's revision is its digest: the version is the targetRevision it was compared with
    if (!comparedWith(live, service.version.tag))
      return `${name} is synced to ${revisions.join(', ') || 'no revision'}, not chart version ${service.version.tag}`;
    return undefined;
  }
  if (!runsImage(live.images, service.version, service.repository)) {
    const wanted = `${service.repository ?? ''}${service.version.digest ? `@${service.version.digest}` : `:${service.version.tag}`}`;
    return `${name} runs ${live.images.join(', ') || 'no image'}, not ${wanted}`;
  }
  const chart = service.version.chartRevision;
  if (service.pinsChartRevision && chart && !syncedRevisions(live).includes(chart))
    return `${name} is synced to ${syncedRevisions(live).join(', ') || 'no revision'}, not the charts of ${chart.slice(0, 12)}`;
  return undefined;
}

function conditionText(live: LiveApplication): string {
  const messages = [
    ...live.conditions.map((condition) => `${condition.type}: ${condition.message}`),
    ...(live.operation && ['Failed', 'Error'].includes(live.operation.phase) && live.operation.message
      ? [`last sync ${live.operation.phase}: ${live.operation.message}`]
      : []),
  ];
  return messages.length ? ` (${messages.join('; ')})` : '';
}

/**
 * Since when the source has run what it runs now, healthy: the later of its last sync (status.history's newest
 * deployedAt; any later sync may have changed what runs) and the moment its health last changed
 * (status.health.lastTransitionTime, to Healthy since it is Healthy now).
 */
export function healthySince(live: LiveApplication): number | undefined {
  const times = [live.health.lastTransitionTime, lastDeploy(live)?.deployedAt]
    .map((time) => (time ? Date.parse(time) : NaN))
    .filter((time) => !Number.isNaN(time));
  return times.length ? Math.max(...times) : undefined;
}

function healthGates(input: GateInput, service: GatedService): GateRefusal[] {
  const { gates, source, now } = input;
  if (!needsArgoCD(gates)) return [];
  const gate: GateName = gates.healthy ? 'healthy' : 'soak';
  if (!service.live)
    return [
      {
        gate,
        service: service.service,
        problem: `${input.target}'s promotion.gates.${gates.soak ? 'soak' : 'healthy'} needs Argo CD's word on ${service.application}, and ARGOCD_SERVER is not set.`,
        fix: 'set ARGOCD_SERVER and ARGOCD_AUTH_TOKEN (as for the argocd CLI), or pass --force --reason TEXT.',
      },
    ];
  const problem = healthProblem(service, service.live);
  if (problem)
    return [
      {
        gate: 'healthy',
        service: service.service,
        problem: `${problem}, so ${source} does not run ${service.service} ${service.version.tag} Synced and Healthy.`,
        fix: `wait until it does (argocd app get ${service.live.namespace ? `${service.live.namespace}/` : ''}${service.application}), or pass --force --reason TEXT.`,
      },
    ];
  if (!gates.soak) return [];
  const since = healthySince(service.live);
  if (since === undefined)
    return [
      {
        gate: 'soak',
        service: service.service,
        problem: `Argo CD says neither when ${service.application} last synced nor when its health last changed, so the soak of ${gates.soak.text} cannot be told.`,
        fix: 'sync it once through Argo CD (the history records the time), or pass --force --reason TEXT.',
      },
    ];
  const passesAt = since + gates.soak.ms;
  if (passesAt <= now) return [];
  return [
    {
      gate: 'soak',
      service: service.service,
      problem: `${service.service} ${service.version.tag} has been healthy in ${source} for ${formatDuration(Math.max(0, now - since))}, less than the soak of ${gates.soak.text}.`,
      passesAt,
      fix: `promote after ${describeAt(passesAt, now)}, or pass --force --reason TEXT.`,
    },
  ];
}
