#!/usr/bin/env node
// The berth CLI. The published package carries compiled JavaScript (npm run pack); in this repository it runs
// straight from the TypeScript sources with no build step (see register.js).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

process.setSourceMapsEnabled(true);
if (!existsSync(join(__dirname, '../src/cli/main.js'))) require('./register');
require('../src/cli/main').main(process.argv.slice(2));
