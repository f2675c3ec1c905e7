// The scale series' plan and figures: which platform sizes to build, what each is called, how sizes compare.
import { BenchStepFailed } from './berth';
import { round, type Figure, type Target } from './report';

export const DEFAULT_SCALE_SIZES = [100, 300, 1000];
/** Largest platform the series builds: beyond it synthesis and render alone take hours. */
export const MAX_SCALE_SIZE = 9999;

/** BERTH_BENCH_SCALE, e.g. "100,300" for a quick run; unset or empty: 100, 300 and 1000. Sorted, each once. */
export function scaleSizes(value: string | undefined): number[] {
  if (value === undefined || value.trim() === '') return DEFAULT_SCALE_SIZES;
  const sizes = value.split(',').map((word) => word.trim());
  const bad = sizes.find((word) => !/^\d+$/.test(word) || Number(word) < 1 || Number(word) > MAX_SCALE_SIZE);
  if (bad !== undefined)
    throw new BenchStepFailed(
      `BERTH_BENCH_SCALE=${JSON.stringify(value)}: ${JSON.stringify(bad)} is not a number of services from 1 to ${MAX_SCALE_SIZE}; ` +
        'write sizes separated by commas, e.g. BERTH_BENCH_SCALE=100,300, or leave it unset for 100,300,1000.',
    );
  return [...new Set(sizes.map(Number))].sort((a, b) => a - b);
}

/** What one platform size measured: medians over rounds, and the highest peak RSS of any berth run. */
export interface ScaleResult {
  services: number;
  applications: number;
  /** `nx g berth:service` for every service (skipSync), then one sync. */
  synthesizeS: number;
  /** One more `nx g berth:service`, derived files included, on the finished platform: what a user waits for. */
  generateOneS: number;
  renderColdS: number;
  renderWarmS: number;
  validateS: number;
  rssMiB: number;
}

/** Sizes whose ratio has a target: the 1000 and 300 services (3.3x the work). */
const JUDGED_PAIR = { larger: 1000, smaller: 300 };
/** 3.3x the work may take 3.6x the time: linear, with room for noise. */
const MAX_RATIO_1000_300 = 3.6;
const MAX_RSS_MIB_1000 = 1536;

export const SCALE_TARGETS: Record<string, Target> = {
  [`scale.render_ratio_${JUDGED_PAIR.larger}_${JUDGED_PAIR.smaller}`]: {
    label: `<= ${MAX_RATIO_1000_300} x`,
    met: (value) => value <= MAX_RATIO_1000_300,
  },
  [`scale.validate_ratio_${JUDGED_PAIR.larger}_${JUDGED_PAIR.smaller}`]: {
    label: `<= ${MAX_RATIO_1000_300} x`,
    met: (value) => value <= MAX_RATIO_1000_300,
  },
  [`scale.rss_mib.${JUDGED_PAIR.larger}`]: {
    label: `< ${MAX_RSS_MIB_1000} MiB`,
    met: (value) => value < MAX_RSS_MIB_1000,
  },
};

/** How much longer render (cold) and validate took on the larger platform than on the smaller. */
function ratioFigures(larger: ScaleResult, smaller: ScaleResult): Figure[] {
  const pair = `${larger.services}_${smaller.services}`;
  return [
    { name: `scale.render_ratio_${pair}`, value: round(larger.renderColdS / smaller.renderColdS, 2), unit: 'x' },
    { name: `scale.validate_ratio_${pair}`, value: round(larger.validateS / smaller.validateS, 2), unit: 'x' },
  ];
}

/** Per size its figures, then the ratios of each size to the next smaller one, and always 1000 to 300 when both ran. */
export function scaleFigures(results: ScaleResult[]): Figure[] {
  const sorted = [...results].sort((a, b) => a.services - b.services);
  const figures: Figure[] = sorted.flatMap((result) => [
    { name: `scale.applications.${result.services}`, value: result.applications, unit: 'count' },
    { name: `scale.synthesize_s.${result.services}`, value: round(result.synthesizeS), unit: 's' },
    { name: `scale.generate_one_s.${result.services}`, value: round(result.generateOneS), unit: 's' },
    { name: `scale.render_cold_s.${result.services}`, value: round(result.renderColdS), unit: 's' },
    { name: `scale.render_warm_s.${result.services}`, value: round(result.renderWarmS), unit: 's' },
    { name: `scale.validate_s.${result.services}`, value: round(result.validateS), unit: 's' },
    { name: `scale.rss_mib.${result.services}`, value: round(result.rssMiB, 1), unit: 'MiB' },
  ]);
  const pairs = sorted.slice(1).map((larger, index) => [larger, sorted[index]]);
  const larger = sorted.find((result) => result.services === JUDGED_PAIR.larger);
  const smaller = sorted.find((result) => result.services === JUDGED_PAIR.smaller);
  if (larger && smaller && !pairs.some(([a, b]) => a === larger && b === smaller)) pairs.push([larger, smaller]);
  return [...figures, ...pairs.flatMap(([a, b]) => ratioFigures(a, b))];
}
