// Runs one berth command on the bench workspace as a user would: a fresh process, startup included, timed.
import { measureProcess, type Measurement } from './measure';

/** A step that could not be measured: the bench stops and says why. */
export class BenchStepFailed extends Error {}

/** How to start berth: bin/berth.js, the folder to run it from, and optionally its environment. */
export interface BerthCli {
  berth: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export interface BerthRun {
  measurement: Measurement;
  /** What berth printed with --json. */
  report: any;
}

const seconds = (measurement: Measurement) => `${measurement.seconds.toFixed(2)}s`;

/** `berth <args> --cwd root`; a non-zero exit stops the bench. */
export async function runBerth(cli: BerthCli, root: string, args: string[]): Promise<Measurement> {
  const measurement = await measureProcess(process.execPath, [cli.berth, ...args, '--cwd', root], {
    cwd: cli.cwd,
    env: cli.env,
  });
  if (measurement.exitCode !== 0) {
    throw new BenchStepFailed(
      `berth ${args.join(' ')} failed (exit ${measurement.exitCode}) after ${seconds(measurement)}:\n${measurement.stderr.trim() || measurement.stdout.trim()}`,
    );
  }
  return measurement;
}

/** `berth <args> --cwd root --json`; output that is not JSON means berth failed (validate exits 1 on findings, with JSON). */
export async function runBerthJson(cli: BerthCli, root: string, args: string[]): Promise<BerthRun> {
  const measurement = await measureProcess(process.execPath, [cli.berth, ...args, '--cwd', root, '--json'], {
    cwd: cli.cwd,
    env: cli.env,
  });
  try {
    return { measurement, report: JSON.parse(measurement.stdout) };
  } catch {
    throw new BenchStepFailed(
      `berth ${args.join(' ')} failed (exit ${measurement.exitCode}) after ${seconds(measurement)}:\n${measurement.stderr.trim() || measurement.stdout.trim()}`,
    );
  }
}
