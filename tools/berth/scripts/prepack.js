// `npm pack` or `npm publish` straight from tools/berth would ship the TypeScript sources; the package is built by
// `npm run pack`, which stages compiled JavaScript, the shipped charts and the runtime dependencies only (npm runs
// this hook before that script too, where it has nothing to refuse).
if (process.env.npm_command !== 'run' && process.env.npm_command !== 'run-script') {
  console.error('berth: build the package with `npm run pack` (in tools/berth) and publish the tarball it prints.');
  process.exit(1);
}
