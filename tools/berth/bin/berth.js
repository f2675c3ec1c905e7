#!/usr/bin/env node
// The berth CLI runs straight from its TypeScript sources (no build step; see register.js).
process.setSourceMapsEnabled(true);
require('./register');
require('../src/cli/main').main(process.argv.slice(2));
