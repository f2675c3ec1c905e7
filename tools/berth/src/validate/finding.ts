// A validation failure or warning, addressed the way an on-call engineer looks for it: environment, Application, object, field.

export interface Finding {
  rule: string;
  environment?: string;
  application?: string;
  /** "Kind/name", or a file path for findings about files. */
  object?: string;
  field?: string;
  message: string;
  fix: string;
}

export function formatFinding(finding: Finding): string {
  const where = [finding.environment, finding.application, finding.object, finding.field].filter(Boolean).join(' > ');
  return `[${finding.rule}] ${where}: ${finding.message}\n    fix: ${finding.fix}`;
}

/** Warnings (placeholders) grouped by the file that holds them, each field with what to set. */
export function formatWarnings(warnings: Finding[]): string {
  const byFile = new Map<string, Finding[]>();
  for (const warning of warnings)
    byFile.set(warning.object ?? '', [...(byFile.get(warning.object ?? '') ?? []), warning]);
  const lines = ['placeholders to replace before this deploys (warnings, not failures):'];
  for (const [file, found] of byFile) {
    lines.push(`  ${file}`);
    for (const warning of found) lines.push(`    ${warning.field}: ${warning.message}`, `      fix: ${warning.fix}`);
  }
  return lines.join('\n');
}
