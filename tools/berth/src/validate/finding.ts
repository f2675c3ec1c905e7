// A validation failure, addressed the way an on-call engineer looks for it: environment, Application, object, field.

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
