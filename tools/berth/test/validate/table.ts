// Table-driven rule tests: the hardened platform passes, each accepted variation passes, each breakage yields exactly the findings named.
import { describe, expect, it } from 'vitest';
import type { RuleContext } from '../../src/validate/context';
import type { Finding } from '../../src/validate/finding';
import { validateSchema } from '../../src/validate/schemas';
import { servedApis } from '../../src/workspace/api-kinds';
import { hardenedPlatform, type Platform } from './fixtures';

/** Where a finding points: what an on-call engineer reads to find the problem. */
export interface Address {
  environment?: string;
  application?: string;
  object?: string;
  field?: string;
}

export interface Breakage {
  name: string;
  change(platform: Platform): void;
  /** The one finding the breakage must produce, or every finding when it produces several. */
  finding: Address | Address[];
  /** What the (first) finding's message must say. */
  message?: RegExp;
}

export interface Variation {
  name: string;
  change(platform: Platform): void;
}

export interface Checker {
  id: string;
  check(context: RuleContext): Finding[];
}

/** The schema check as `berth validate` runs it: every rendered object against its schema and its cluster's API versions. */
export const schemaCheck: Checker = {
  id: 'schema',
  check: (context) =>
    context.renders.flatMap((render) =>
      render.applications.flatMap((app) =>
        app.objects.flatMap((object) =>
          validateSchema(
            object,
            { environment: render.environment.name, application: app.application },
            { environment: render.environment, served: servedApis(context.workspace, render.environment) },
          ),
        ),
      ),
    ),
};

const address = (finding: Finding) => ({
  rule: finding.rule,
  environment: finding.environment,
  application: finding.application,
  object: finding.object,
  field: finding.field,
});

export function findingsAfter(checker: Checker, change: (platform: Platform) => void = () => {}): Finding[] {
  const platform = hardenedPlatform();
  change(platform);
  return checker.check(platform.context);
}

export function describeRule(checker: Checker, table: { accepts?: Variation[]; rejects: Breakage[] }): void {
  describe(`rule ${checker.id}`, () => {
    it('passes the hardened platform', () => {
      expect(findingsAfter(checker)).toEqual([]);
    });

    if (table.accepts?.length) {
      it.each(table.accepts)('accepts $name', ({ change }) => {
        expect(findingsAfter(checker, change)).toEqual([]);
      });
    }

    it.each(table.rejects)('rejects $name', ({ change, finding, message }) => {
      const findings = findingsAfter(checker, change);
      const expected = (Array.isArray(finding) ? finding : [finding]).map((where) => ({
        rule: checker.id,
        environment: undefined,
        application: undefined,
        object: undefined,
        field: undefined,
        ...where,
      }));
      expect(findings.map(address)).toEqual(expected);
      for (const found of findings) {
        expect(found.message.trim()).not.toBe('');
        expect(found.fix.trim()).not.toBe('');
      }
      if (message) expect(findings[0].message).toMatch(message);
    });
  });
}
