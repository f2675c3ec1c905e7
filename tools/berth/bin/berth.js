#!/usr/bin/env node
// The berth CLI runs straight from its TypeScript sources (no build step): swc compiles each module as it loads.
require('@swc-node/register');
require('../src/cli/main').main(process.argv.slice(2));
