// Loads berth's TypeScript sources with no build step: each file is compiled by swc once and cached by content,
// so a warm start costs a hash per file instead of loading a compiler.
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const swcPackage = require.resolve('@swc/core/package.json');
const cacheDir = join(dirname(dirname(dirname(swcPackage))), '.cache', 'berth', 'ts');
const swcVersion = require(swcPackage).version;
const options = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022', keepClassNames: true },
  module: { type: 'commonjs', ignoreDynamic: false },
  sourceMaps: 'inline',
};
let swc;

function compile(source, filename) {
  const key = createHash('sha256').update(swcVersion).update(filename).update(source).digest('hex');
  const cached = join(cacheDir, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    swc ??= require('@swc/core');
    const { code } = swc.transformSync(source, { ...options, filename });
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, cached);
    return code;
  }
}

require.extensions['.ts'] = (module, filename) => {
  module._compile(compile(readFileSync(filename, 'utf8'), filename), filename);
};
