// The helm wrapper with the real helm: what a failure says (the subcommand, exit code, helm's words and lint findings,
// without helm's noise) and the run as cause; the sync version probe fails alike.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import { findHelm, resolveHelm } from '../../src/helm/binary';
import { helmLineFor } from '../../src/helm/versions';
import { runHelmBinary, runHelmBinarySync } from '../../src/helm/process';
import { runHelm } from '../../src/helm/run';
import { ProcessError } from '../../src/util/process-error';

let scratch: string;
let brokenChart: string;
let fakeHelm: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'berth-helm-process-'));
  brokenChart = join(scratch, 'broken');
  mkdirSync(join(brokenChart, 'templates'), { recursive: true });
  writeFileSync(join(brokenChart, 'Chart.yaml'), 'apiVersion: v2\nname: broken\nversion: 1.0.0\n');
  writeFileSync(join(brokenChart, 'templates/a.yaml'), 'kind: {{ .Values.x.y }}\n');
  fakeHelm = join(scratch, 'helm');
  writeFileSync(
    fakeHelm,
    '#!/bin/sh\necho "Use --debug flag to see more" >&2\necho "Error: no such thing" >&2\nexit 3\n',
  );
  chmodSync(fakeHelm, 0o755);
});

const failureOf = async (run: () => Promise<unknown>): Promise<BerthError> => {
  const error = await run().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(BerthError);
  return error as BerthError;
};

describe('runHelm: a failure says what ran and what helm said', () => {
  it.each([
    [
      'a chart that is not there',
      () => ['template', join(scratch, 'no-such-chart')],
      {},
      () => `helm template failed (exit 1).\nError: path "${join(scratch, 'no-such-chart')}" not found`,
    ],
    [
      'lint findings (helm prints them on stdout)',
      () => ['lint', '--strict', brokenChart],
      { context: 'charts/broken' },
      // helm 4 and 3 word the template error differently; both name the template and line
      () =>
        /^charts\/broken: helm lint failed \(exit 1\)\.\n\[ERROR\] templates\/: .*broken\/templates\/a\.yaml:1:16.*\nError: 1 chart\(s\) linted, 1 chart\(s\) failed$/,
    ],
  ])('%s', async (_what, args, options, problem) => {
    const error = await failureOf(() => runHelm(args(), options));
    const expected = problem();
    if (typeof expected === 'string') expect(error.problem).toBe(expected);
    else expect(error.problem).toMatch(expected);
    expect(error.fix).toBe("read helm's message above; it names the template or values file at fault.");
    const cause = error.cause as ProcessError;
    expect(cause).toBeInstanceOf(ProcessError);
    expect(cause).toMatchObject({ command: [resolveHelm().path, ...args()], exitCode: 1 });
    expect(cause.message).toContain(`${resolveHelm().path} ${args()[0]}`);
    expect(cause.message).toMatch(/exited with 1: .*Error: /s);
  });

  it('a binary that is not there: the spawn error, under the run', async () => {
    const error = await failureOf(() => runHelmBinary(join(scratch, 'no-helm'), ['version']));
    expect(error.problem).toBe(`helm version failed (exit -1).\nspawn ${join(scratch, 'no-helm')} ENOENT`);
    expect(((error.cause as ProcessError).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});

describe('runHelmBinarySync, the version probe', () => {
  it("answers helm's version", () => {
    const helm = resolveHelm();
    expect(runHelmBinarySync(helm.path, ['version', '--template', '{{.Version}}'])).toBe(helm.version);
  });

  it("fails like runHelm, without helm's advice about --debug", () => {
    let error: unknown;
    try {
      runHelmBinarySync(fakeHelm, ['version']);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BerthError);
    expect((error as BerthError).problem).toBe('helm version failed (exit 3).\nError: no such thing');
    expect((error as BerthError).cause).toMatchObject({ command: [fakeHelm, 'version'], exitCode: 3 });
  });

  it('a BERTH_HELM that fails says why, and keeps the probe as cause', () => {
    let error: unknown;
    try {
      findHelm({ PATH: process.env.PATH, BERTH_HELM: fakeHelm }, helmLineFor('3.5'));
    } catch (caught) {
      error = caught;
    }
    expect((error as BerthError).message).toBe(
      `BERTH_HELM: BERTH_HELM=${fakeHelm} is not a runnable helm binary: helm version failed (exit 3). Error: no such thing\nFix: point BERTH_HELM at a helm 4 binary, or unset it to use the bundled helm.`,
    );
    expect(((error as BerthError).cause as BerthError).cause).toBeInstanceOf(ProcessError);
  });
});

describe("helm's garbage collector", () => {
  const envHelm = () => {
    const path = join(scratch, 'env-helm');
    writeFileSync(path, '#!/bin/sh\necho "GOGC=${GOGC-unset} GOMEMLIMIT=${GOMEMLIMIT-unset}"\n');
    chmodSync(path, 0o755);
    return path;
  };

  it('collects only at GOMEMLIMIT: a helm process lives for a fraction of a second', async () => {
    expect(await runHelmBinary(envHelm(), ['template'], { env: { PATH: process.env.PATH } })).toBe(
      'GOGC=off GOMEMLIMIT=256MiB',
    );
    expect(runHelmBinarySync(envHelm(), ['version'], { env: { PATH: process.env.PATH } })).toBe(
      'GOGC=off GOMEMLIMIT=256MiB\n',
    );
  });

  it("keeps the caller's own GOGC or GOMEMLIMIT", async () => {
    expect(await runHelmBinary(envHelm(), ['template'], { env: { PATH: process.env.PATH, GOGC: '50' } })).toBe(
      'GOGC=50 GOMEMLIMIT=unset',
    );
    expect(await runHelmBinary(envHelm(), ['template'], { env: { PATH: process.env.PATH, GOMEMLIMIT: '1GiB' } })).toBe(
      'GOGC=unset GOMEMLIMIT=1GiB',
    );
  });
});
