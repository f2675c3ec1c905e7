// The GitHub workflows call only commands and options that exist: berth's (from its own parser) and nx's.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli/main';
import { createNodesV2 } from '../../src/nx/plugin';

/** The targets the berth Nx plugin gives a service project, from the plugin itself. */
async function inferredTargets(): Promise<string[]> {
  const [, create] = createNodesV2;
  const results = await create(['apps/service-a/app.yaml'], undefined, {
    workspaceRoot: repo,
    nxJsonConfiguration: {},
  } as never);
  const projects = (results[0][1] as { projects: Record<string, { targets: Record<string, unknown> }> }).projects;
  return Object.keys(Object.values(projects)[0].targets);
}

const repo = join(__dirname, '../../../..');
const workflowsDir = join(repo, '.github/workflows');

/** Every `berth ...` invocation in a run script, as argument lists (shell expansions like ${X:+...} dropped). */
export function berthInvocations(script: string): string[][] {
  return script
    .split('\n')
    .flatMap((line) =>
      [...line.matchAll(/(?:npx |node tools\/berth\/bin\/berth\.js |^|\s)berth\s+([^|&;]*)/g)].map((match) => match[1]),
    )
    .map((rest) =>
      rest
        .replace(/\$\{[^}]*\}/g, '')
        .replace(/"[^"]*\$[^"]*"/g, 'VALUE')
        .trim()
        .split(/\s+/)
        .filter(Boolean),
    );
}

function findCommand(program: Command, words: string[]): { command: Command; rest: string[] } {
  let command = program;
  let index = 0;
  while (index < words.length) {
    const sub = command.commands.find((candidate) => candidate.name() === words[index]);
    if (!sub) break;
    command = sub;
    index++;
  }
  return { command, rest: words.slice(index) };
}

/** Every `nx ...` invocation: its command and the targets it runs. */
export function nxInvocations(script: string): { command: string; targets: string[] }[] {
  return [...script.matchAll(/\bnx\s+([a-z:-]+)([^\n|&;]*)/g)].map((match) => ({
    command: match[1],
    targets: [...match[2].matchAll(/(?:-t|--targets?)[ =]([\w,:-]+)/g)].flatMap((target) => target[1].split(',')),
  }));
}

const NX_COMMANDS = ['sync', 'sync:check', 'affected', 'run-many', 'run', 'show', 'graph'];

describe('GitHub workflows', () => {
  const workflows = readdirSync(workflowsDir).filter((file) => file.endsWith('.yml'));

  it('exist for image updates, validation and promotion', () => {
    expect(workflows).toEqual(expect.arrayContaining(['image-update.yml', 'validate.yml', 'promote.yml']));
  });

  it.each(workflows)('%s runs only nx commands and targets that exist', async (file) => {
    const workflow = parse(readFileSync(join(workflowsDir, file), 'utf8'));
    const scripts = Object.values(workflow.jobs as Record<string, { steps: { run?: string }[] }>).flatMap((job) =>
      job.steps.map((step) => step.run ?? ''),
    );
    const targets = await inferredTargets();
    for (const invocation of scripts.flatMap(nxInvocations)) {
      expect(NX_COMMANDS, `${file}: nx ${invocation.command}`).toContain(invocation.command);
      for (const target of invocation.targets) expect(targets, `${file}: nx target ${target}`).toContain(target);
    }
  });

  it.each(workflows)('%s calls only berth commands and options that exist', (file) => {
    const workflow = parse(readFileSync(join(workflowsDir, file), 'utf8'));
    const scripts = Object.values(workflow.jobs as Record<string, { steps: { run?: string }[] }>).flatMap((job) =>
      job.steps.map((step) => step.run ?? ''),
    );
    const invocations = scripts.flatMap(berthInvocations);
    expect(invocations.length, `${file} runs berth`).toBeGreaterThan(0);
    const program = buildProgram();
    for (const words of invocations) {
      const { command, rest } = findCommand(program, words);
      expect(command, `berth ${words.join(' ')}`).not.toBe(program);
      const known = new Set(
        [...command.options, ...program.options].flatMap((option) => [option.long, option.short]).filter(Boolean),
      );
      for (const word of rest.filter((candidate) => candidate.startsWith('-')))
        expect(known.has(word.split('=')[0]), `${file}: berth ${words.join(' ')}: ${word}`).toBe(true);
    }
  });

  it('recognises a command or target that does not exist', async () => {
    expect(nxInvocations('npx nx affected -t lint,validate --base=x')).toEqual([
      { command: 'affected', targets: ['lint', 'validate'] },
    ]);
    expect(await inferredTargets()).toEqual(['render', 'validate']);
    const program = buildProgram();
    expect(findCommand(program, ['deploy', '--now']).command).toBe(program);
    expect(berthInvocations('npx berth image-update --push ${SERVICE:+--service "$SERVICE"}')).toEqual([
      ['image-update', '--push'],
    ]);
  });
});
