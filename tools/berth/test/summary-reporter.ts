// Ends a test run with one plain line, "N passed, N failed, N skipped", that any CI log reader understands.
import type { Reporter } from 'vitest/node';
import type { RunnerTask, RunnerTestFile } from 'vitest';

function count(tasks: RunnerTask[], counts: Record<'passed' | 'failed' | 'skipped', number>): void {
  for (const task of tasks) {
    if (task.type === 'suite') count(task.tasks, counts);
    else if (task.result?.state === 'pass') counts.passed++;
    else if (task.result?.state === 'fail') counts.failed++;
    else counts.skipped++;
  }
}

function hasFailedTest(tasks: RunnerTask[]): boolean {
  return tasks.some((task) => (task.type === 'suite' ? hasFailedTest(task.tasks) : task.result?.state === 'fail'));
}

export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    count(files, counts);
    // a file that fails before its tests run (a missing fixture, a syntax error) has no failed test, yet fails the run
    const brokenFiles = files.filter((file) => file.result?.state === 'fail' && !hasFailedTest(file.tasks)).length;
    counts.failed += brokenFiles;
    // after the default reporter's summary, so it is the run's last line
    setImmediate(() =>
      process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`),
    );
  }
}
