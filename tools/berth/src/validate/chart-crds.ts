// The API kinds an unpacked chart serves (its crds/ folder and templated CustomResourceDefinitions), read by helm
// itself, checked against its add-on's app.yaml `serves`. For a chart at hand outside a render: the chart cache's
// unpacked chart, or one `nx g berth:addon` just fetched. validate checks rendered add-ons in rules/api-provenance.ts.
import { BerthError } from '../errors';
import { runHelm } from '../helm/run';
import { readDocuments } from '../util/yaml-read';
import type { Addon } from '../workspace/api-kinds';
import type { Finding } from './finding';
import { servesFindings, shippedApis, type ShippedApis } from './crd-serves';

export interface ChartTemplateOptions {
  releaseName?: string;
  namespace?: string;
  /** As the environment's Application states them, for charts that gate their CRDs on the cluster. */
  kubeVersion?: string;
  apiVersions?: readonly string[];
  valueFiles?: readonly string[];
}

/**
 * `helm template --include-crds` of the chart with its defaults. A chart whose templates need values it has no
 * default for (a cluster name, say) cannot template bare: then `helm show crds` reads its crds/ folder alone.
 */
export async function chartShippedApis(chartDir: string, options: ChartTemplateOptions = {}): Promise<ShippedApis> {
  const args = ['template', options.releaseName ?? 'release', chartDir, '--include-crds'];
  if (options.namespace) args.push('--namespace', options.namespace);
  if (options.kubeVersion) args.push('--kube-version', options.kubeVersion);
  for (const version of options.apiVersions ?? []) args.push('--api-versions', version);
  for (const file of options.valueFiles ?? []) args.push('--values', file);
  let output: string;
  try {
    output = await runHelm(args, { context: `reading the CRDs of ${chartDir}` });
  } catch (templateFailure) {
    try {
      output = await runHelm(['show', 'crds', chartDir], { context: `reading the crds/ folder of ${chartDir}` });
    } catch (showFailure) {
      const said = (failure: unknown) => (failure instanceof BerthError ? failure.problem : String(failure));
      throw new BerthError(
        `helm can neither template nor show the CRDs of the chart in ${chartDir}:\n${said(templateFailure)}\n${said(showFailure)}`,
        {
          file: chartDir,
          fix: 'check that the folder holds an unpacked chart (Chart.yaml at its top) and read what helm said above.',
          cause: new AggregateError([templateFailure, showFailure]),
        },
      );
    }
  }
  return shippedApis(readDocuments(output, `helm output for ${chartDir}`));
}

/** Findings for each kind the chart serves that app.yaml `serves` omits, and each served kind the chart does not define. */
export async function checkChartServes(
  addon: Addon,
  chartDir: string,
  options: ChartTemplateOptions = {},
): Promise<Finding[]> {
  const shipped = await chartShippedApis(chartDir, {
    releaseName: addon.name,
    namespace: addon.addon.namespace,
    ...options,
  });
  return servesFindings(
    { addon: addon.name, serves: addon.addon.serves, source: `chart ${addon.addon.chart.name} in ${chartDir}` },
    shipped,
  );
}
