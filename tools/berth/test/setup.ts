// Runs before every test file: lets the worker's event loop turn between tests.
import { beforeEach } from 'vitest';

// Tests that drive berth, git and helm through spawnSync block the worker; vitest's answers to the worker's
// progress reports then wait in the event loop, and a file of such tests that runs over 60 s fails with
// 'Timeout calling "onTaskUpdate"'. One turn of the loop before each test reads those answers.
beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
