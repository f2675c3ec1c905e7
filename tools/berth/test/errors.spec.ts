// Errors keep their cause and programs start in one wrapper each: source scans over tools/berth/src that fail when a
// BerthError made of a caught error drops it, or when a module other than the wrappers starts a process.
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { readModules } from './architecture/import-graph';

const SRC = join(__dirname, '../src');
const parse = (file: string, text: string) => ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
const lineOf = (node: ts.Node) => node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1;

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

/** BerthError and every class that extends it, in any of the files. */
function berthErrorClasses(files: ts.SourceFile[]): Set<string> {
  const names = new Set(['BerthError']);
  for (let grew = true; grew;) {
    grew = false;
    for (const file of files)
      walk(file, (node) => {
        if (!ts.isClassDeclaration(node) || !node.name || names.has(node.name.text)) return;
        const base = node.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
        if (base && names.has(base.expression.getText())) grew = names.add(node.name.text).size > 0;
      });
  }
  return names;
}

/** The catch a node sits in: a `catch` block, or a function handed to a promise's `.catch()`. */
function enclosingCatch(node: ts.Node): ts.CatchClause | ts.FunctionLikeDeclaration | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isCatchClause(at)) return at;
    if (
      (ts.isArrowFunction(at) || ts.isFunctionExpression(at)) &&
      ts.isCallExpression(at.parent) &&
      ts.isPropertyAccessExpression(at.parent.expression) &&
      at.parent.expression.name.text === 'catch'
    )
      return at;
  }
  return undefined;
}

const passesCause = (details: ts.Expression | undefined) =>
  details !== undefined &&
  ts.isObjectLiteralExpression(details) &&
  details.properties.some((property) => property.name?.getText() === 'cause');

/** `file:line: why` for every BerthError built in a catch without the caught error as `cause`. */
function causesDropped(files: ts.SourceFile[]): string[] {
  const classes = berthErrorClasses(files);
  const found: string[] = [];
  for (const file of files)
    walk(file, (node) => {
      if (!ts.isNewExpression(node) || !classes.has(node.expression.getText())) return;
      const handler = enclosingCatch(node);
      if (!handler || passesCause(node.arguments?.[1])) return;
      const where = `${relative(SRC, file.fileName)}:${lineOf(node)}`;
      const unbound = ts.isCatchClause(handler) ? !handler.variableDeclaration : handler.parameters.length === 0;
      found.push(
        unbound
          ? `${where}: new ${node.expression.getText()} in a catch that drops the error: bind it and pass it as cause`
          : `${where}: new ${node.expression.getText()} in a catch without { cause }`,
      );
    });
  return found;
}

/** The wrappers: nothing else may start a process (node:child_process, execa). */
const WRAPPERS = ['git/run.ts', 'helm/process.ts', 'kubectl/run.ts'];
const PROCESS_MODULES = new Set(['child_process', 'node:child_process', 'execa']);

/** `file:line: module` for every import of a process module outside the wrappers (static or `await import()`). */
function processStarters(files: ts.SourceFile[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const name = relative(SRC, file.fileName);
    if (WRAPPERS.includes(name)) continue;
    walk(file, (node) => {
      const specifier =
        ts.isImportDeclaration(node) || ts.isExportDeclaration(node)
          ? node.moduleSpecifier
          : ts.isCallExpression(node) &&
              (node.expression.kind === ts.SyntaxKind.ImportKeyword || node.expression.getText() === 'require')
            ? node.arguments[0]
            : undefined;
      if (specifier && ts.isStringLiteral(specifier) && PROCESS_MODULES.has(specifier.text))
        found.push(`${name}:${lineOf(node)}: ${specifier.text}`);
    });
  }
  return found;
}

const fixture = (text: string, name = 'fixture.ts') => [parse(join(SRC, name), text)];
let parsed: ts.SourceFile[] | undefined;
const tree = () => (parsed ??= [...readModules(SRC)].map(([module, text]) => parse(join(SRC, `${module}.ts`), text)));

describe('BerthErrors keep their cause', () => {
  it.each([
    [
      'a catch without cause',
      'try { f(); } catch (error) { throw new BerthError("x", { file: "a" }); }',
      ['fixture.ts:1: new BerthError in a catch without { cause }'],
    ],
    [
      'a catch without details',
      'try { f(); } catch (error) { throw new BerthError("x"); }',
      ['fixture.ts:1: new BerthError in a catch without { cause }'],
    ],
    [
      'a catch that drops the error',
      'try { f(); } catch {\n  throw new BerthError("x");\n}',
      ['fixture.ts:2: new BerthError in a catch that drops the error: bind it and pass it as cause'],
    ],
    [
      "a promise's .catch()",
      'run().catch((error) => { throw new BerthError("x", {}); });',
      ['fixture.ts:1: new BerthError in a catch without { cause }'],
    ],
    [
      'a subclass of BerthError',
      'class Refused extends BerthError {}\ntry { f(); } catch (e) { throw new Refused("x", { fix: "y" }); }',
      ['fixture.ts:2: new Refused in a catch without { cause }'],
    ],
    ['a catch with cause', 'try { f(); } catch (error) { throw new BerthError("x", { cause: error }); }', []],
    ['a shorthand cause', 'try { f(); } catch (cause) { throw new BerthError("x", { cause }); }', []],
    [
      'a catch of a nested try',
      'try { f(); } catch (a) { try { g(); } catch (b) { throw new BerthError("x", { cause: b }); } }',
      [],
    ],
    ['validation, outside any catch', 'if (!ok) throw new BerthError("x", { file: "a", fix: "y" });', []],
    ['another error type', 'try { f(); } catch (error) { throw new TypeError("x"); }', []],
  ])('the scan finds %s', (_what, text, expected) => {
    expect(causesDropped(fixture(text))).toEqual(expected);
  });

  it('holds for every BerthError berth makes in a catch', () => {
    expect(causesDropped(tree())).toEqual([]);
  });
});

describe('one wrapper per program', () => {
  it.each([
    ["import { spawn } from 'node:child_process';", ['fixture.ts:1: node:child_process']],
    ["import * as cp from 'child_process';", ['fixture.ts:1: child_process']],
    ["const { execa } = await import('execa');", ['fixture.ts:1: execa']],
    ["const cp = require('node:child_process');", ['fixture.ts:1: node:child_process']],
    ["import { readFileSync } from 'node:fs';", []],
  ])('the scan finds %s', (text, expected) => {
    expect(processStarters(fixture(text))).toEqual(expected);
  });

  it('the wrappers themselves may start processes', () => {
    expect(processStarters(fixture("import { spawnSync } from 'node:child_process';", 'git/run.ts'))).toEqual([]);
  });

  it('nothing but git/run.ts, helm/process.ts and kubectl/run.ts starts a process', () => {
    expect(processStarters(tree())).toEqual([]);
  });
});
