// Hostile YAML files, as a table: each is refused with a BerthError naming the file, the field or place, and the
// fix, within bounded work, and berth writes nothing. The files are read by a real `berth image-update` pass.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import { imageUpdate } from '../../src/image-update/command';
import { MAX_YAML_ANCHORS, MAX_YAML_NESTING } from '../../src/util/yaml-read';
import { copyExample, git } from '../cli/workspace';
import { laughs } from './laughs';

const append = (extra: string) => (text: string) => `${text}${text.endsWith('\n') ? '' : '\n'}${extra}`;

interface Case {
  name: string;
  file: string;
  change: (text: string) => string;
  problem: RegExp;
  field?: string;
  fix: RegExp;
}

const cases: Case[] = [
  {
    name: 'billion laughs in app.yaml',
    file: 'apps/service-a/app.yaml',
    change: append(laughs()),
    problem: /expands its aliases .*"billion laughs"/,
    fix: /use each anchor fewer times/,
  },
  {
    name: 'billion laughs in env.yaml',
    file: 'environments/dev/env.yaml',
    change: append(laughs()),
    problem: /"billion laughs"/,
    fix: /fewer times/,
  },
  {
    name: 'billion laughs in berth.yaml',
    file: 'berth.yaml',
    change: append(laughs()),
    problem: /"billion laughs"/,
    fix: /fewer times/,
  },
  {
    name: 'billion laughs in an overlay',
    file: 'environments/dev/service-a.yaml',
    change: append(laughs()),
    problem: /"billion laughs"/,
    fix: /fewer times/,
  },
  {
    name: "billion laughs in a chart's values.yaml",
    file: 'charts/service-a/values.yaml',
    change: append(laughs()),
    problem: /"billion laughs"/,
    fix: /fewer times/,
  },
  {
    name: 'an anchor used 101 times',
    file: 'environments/dev/values.yaml',
    change: append(`base: &base {cpu: 1}\n${Array.from({ length: 101 }, (_, i) => `copy${i}: *base`).join('\n')}\n`),
    problem: /used more than 100 times/,
    fix: /fewer times/,
  },
  {
    name: 'more anchors than berth resolves',
    file: 'environments/dev/service-a.yaml',
    change: append(
      Array.from({ length: MAX_YAML_ANCHORS / 2 + 1 }, (_, i) => `k${i}: &a${i} v\nr${i}: *a${i}`).join('\n'),
    ),
    problem: /has more than 1000 anchors and aliases \(&name, \*name\) \(line \d+\)/,
    fix: /use fewer anchors/,
  },
  {
    name: 'a 5 MiB overlay',
    file: 'environments/dev/service-a.yaml',
    change: append(`blob: "${'x'.repeat(5 * 1024 * 1024)}"\n`),
    problem: /is 5\.0 MiB; berth reads YAML files of at most 4 MiB/,
    fix: /make it smaller/,
  },
  {
    name: '100,000 nested flow brackets',
    file: 'environments/dev/values.yaml',
    change: append(`deep: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`),
    problem: new RegExp(`nests deeper than the ${MAX_YAML_NESTING} levels berth reads \\(line \\d+\\)`),
    fix: /flatten the structure/,
  },
  {
    name: 'a sequence nested 300 deep on one line',
    file: 'environments/dev/service-a.yaml',
    change: append(`deep:\n  ${'- '.repeat(300)}x\n`),
    problem: /nests deeper than the 128 levels/,
    fix: /flatten/,
  },
  {
    name: 'a mapping nested 200 deep by indentation',
    file: 'charts/service-a/values.yaml',
    change: append(Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n'),
    problem: /nests deeper than the 128 levels/,
    fix: /flatten/,
  },
  {
    name: 'a key twice in app.yaml',
    file: 'apps/service-a/app.yaml',
    change: append('owner: team-b\n'),
    problem: /has the key "owner" twice in one mapping \(again at line \d+\)/,
    field: 'owner',
    fix: /keep one of them/,
  },
  {
    name: 'image.tag twice in an overlay',
    file: 'environments/dev/service-a.yaml',
    change: (text) => text.replace(/^( +)tag: (.*)$/m, '$1tag: $2\n$1tag: "6.6.6"'),
    problem: /has the key "tag" twice/,
    field: 'image.tag',
    fix: /keep one/,
  },
  {
    name: 'two documents in env.yaml',
    file: 'environments/dev/env.yaml',
    change: append('---\nname: dev\n'),
    problem: /is not valid YAML: Source contains multiple documents/,
    fix: /correct the YAML syntax/,
  },
  {
    name: 'an overlay that is a list',
    file: 'environments/dev/service-a.yaml',
    change: () => '- image\n- tag\n',
    problem: /must be a YAML mapping/,
    fix: /key: value pairs/,
  },
  {
    name: 'an alias to no anchor',
    file: 'environments/dev/values.yaml',
    change: append('fromNowhere: *nowhere\n'),
    problem: /is not valid YAML: .*nowhere/,
    fix: /(anchor|syntax)/,
  },
];

describe('YAML read time is linear in the file', () => {
  it('a file four times larger takes roughly four times as long, not sixteen', async () => {
    const { readYamlMapping } = await import('../../src/util/yaml-read');
    const overlay = (keys: number) =>
      `image:\n  tag: "1.0.0"\nenv:\n${Array.from({ length: keys }, (_, i) => `  KEY_${i}: "value ${i}"\n`).join('')}`;
    const time = (text: string) => {
      const started = process.hrtime.bigint();
      readYamlMapping(text, 'environments/dev/big.yaml');
      return Number(process.hrtime.bigint() - started);
    };
    const small = overlay(1_500);
    const large = overlay(6_000);
    // each read is short and the worker yields between them, so vitest's worker never misses its RPC deadline
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    time(small); // warm up
    const smalls: number[] = [];
    const larges: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      await tick();
      smalls.push(time(small));
      await tick();
      larges.push(time(large));
    }
    // the quadratic key check took ~16 times as long; a loose bound leaves room for a busy machine
    expect(Math.min(...larges) / Math.min(...smalls)).toBeLessThan(10);
  });
});

describe('hostile YAML files', () => {
  let root: string;

  beforeAll(() => {
    root = copyExample();
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'config', 'user.email', 'platform@example.com');
    git(root, 'config', 'user.name', 'platform team');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'the example platform');
  });

  // Every case fails before any registry is asked: one that reached this would show here.
  const registry = () => {
    throw new Error('the registry was reached: the hostile file was accepted');
  };

  async function refusal(file: string, content: string): Promise<BerthError> {
    const head = git(root, 'rev-parse', 'HEAD');
    const before = readFileSync(join(root, file), 'utf8');
    writeFileSync(join(root, file), content);
    try {
      const error = await imageUpdate({ root, registry }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(BerthError);
      // nothing written: only the hostile file differs, and no commit was made
      expect(git(root, 'status', '--porcelain')).toBe(`M ${file}`);
      expect(git(root, 'rev-parse', 'HEAD')).toBe(head);
      return error as BerthError;
    } finally {
      writeFileSync(join(root, file), before);
    }
  }

  it.each(cases)(
    '$name: names $file, the place and the fix, writes nothing',
    async ({ file, change, problem, field, fix }) => {
      const error = await refusal(file, change(readFileSync(join(root, file), 'utf8')));
      expect(error.file).toBe(file);
      expect(error.problem).toMatch(problem);
      if (field) expect(error.field).toBe(field);
      expect(error.fix).toMatch(fix);
      expect(error.message.startsWith(`${file}: `)).toBe(true);
    },
  );

  describe('the caret points at the column', () => {
    it('after a tab: the caret line copies the tab', async () => {
      const file = 'environments/dev/env.yaml';
      const error = await refusal(file, append('extra: "a"\t]\n')(readFileSync(join(root, file), 'utf8')));
      expect(error.problem).toMatch(/at line \d+, column 12:\n\nextra: "a"\t\]\n {10}\t\^\n$/);
    });

    it('after wide characters: two cells each', async () => {
      const file = 'apps/service-a/app.yaml';
      const error = await refusal(
        file,
        readFileSync(join(root, file), 'utf8').replace(/^owner: .*$/m, 'owner: "チーム" ]'),
      );
      expect(error.problem).toMatch(/at line \d+, column 14:\n\nowner: "チーム" \]\n {16}\^\n$/);
    });

    it('on a long line: a window around the column, the caret under it', async () => {
      const file = 'environments/dev/service-a.yaml';
      const long = `note: "${'é'.repeat(200)}" ]`;
      const error = await refusal(file, append(`${long}\n`)(readFileSync(join(root, file), 'utf8')));
      const [, column, shown, caret] = /column (\d+):\n\n(.*)\n(.*)\n$/.exec(error.problem)!;
      expect(Number(column)).toBe(Array.from(long).indexOf(']') + 1);
      expect(shown).toBe(`…${'é'.repeat(48)}" ]`);
      expect(caret.indexOf('^')).toBe(Array.from(shown).indexOf(']'));
    });
  });
});
