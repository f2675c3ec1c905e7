// `berth validate` on the command line: prints each finding where an engineer would look, exits non-zero on any.
import { formatFinding } from '../validate/finding';
import { validate } from '../validate/command';
import { progress } from './output';

export interface ValidateCommandOptions {
  root: string;
  environments?: string[];
  services?: string[];
  json?: boolean;
}

export async function validateCommand(options: ValidateCommandOptions): Promise<void> {
  const started = Date.now();
  const report = await validate({ ...options, onProgress: progress('validating') });
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else {
    for (const finding of report.findings) console.log(formatFinding(finding));
    const verdict = report.findings.length === 0 ? 'valid' : `${report.findings.length} problem${report.findings.length === 1 ? '' : 's'}`;
    console.log(`${report.findings.length ? '\n' : ''}validated ${report.applications} Applications, ${report.objects} objects against ${report.rules.length} checks: ${verdict} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  }
  if (report.findings.length > 0) process.exitCode = 1;
}
