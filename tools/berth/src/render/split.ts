// Splits the output of one `helm template` of many subcharts back into one manifest per chart.

const SOURCE = /^# Source: ([^/\n]+)\/charts\/([^/\n]+)\//m;

/** Groups YAML documents by the subchart their `# Source:` names, and rewrites the source as a standalone render would print it. */
export function splitBySubchart(output: string): Map<string, string> {
  const byChart = new Map<string, string[]>();
  for (const document of output.split(/^---\s*$/m)) {
    const match = SOURCE.exec(document);
    if (!match) continue;
    const chart = match[2];
    const rewritten = document
      .replace(`# Source: ${match[1]}/charts/${chart}/`, `# Source: ${chart}/`)
      .replace(/^\n+/, '');
    byChart.set(chart, [...(byChart.get(chart) ?? []), rewritten.endsWith('\n') ? rewritten : `${rewritten}\n`]);
  }
  return new Map(
    [...byChart].map(([chart, documents]) => [chart, documents.map((document) => `---\n${document}`).join('')]),
  );
}
