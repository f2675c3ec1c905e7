// The scale series' plan: which sizes BERTH_BENCH_SCALE asks for, what each figure is called, the ratios and targets.
import { describe, expect, it } from 'vitest';
import { BenchStepFailed } from '../../bench/berth';
import { formatTable, verdict } from '../../bench/report';
import { DEFAULT_SCALE_SIZES, SCALE_TARGETS, scaleFigures, scaleSizes, type ScaleResult } from '../../bench/scale-plan';

describe('scaleSizes', () => {
  it.each([
    [undefined, [100, 300, 1000]],
    ['', [100, 300, 1000]],
    ['  ', [100, 300, 1000]],
    ['100,300', [100, 300]],
    [' 300 , 100,100', [100, 300]],
    ['1000', [1000]],
    ['9999', [9999]],
  ])('reads %j as %j', (value, sizes) => {
    expect(scaleSizes(value)).toEqual(sizes);
  });

  it('defaults to the issue sizes', () => expect(DEFAULT_SCALE_SIZES).toEqual([100, 300, 1000]));

  it.each([['abc'], ['0'], ['10000'], ['1e3'], ['100,,300'], ['-5'], ['100;300'], ['3.5']])(
    'refuses %j, naming the variable and the way to write it',
    (value) => {
      expect(() => scaleSizes(value)).toThrow(BenchStepFailed);
      expect(() => scaleSizes(value)).toThrow(/^BERTH_BENCH_SCALE=.* e\.g\. BERTH_BENCH_SCALE=100,300/);
    },
  );
});

const result = (services: number, renderColdS: number, validateS: number, rssMiB = 400): ScaleResult => ({
  services,
  applications: services * 3 + 6,
  synthesizeS: services / 50,
  generateOneS: 0.5,
  renderColdS,
  renderWarmS: renderColdS / 10,
  validateS,
  rssMiB,
});

const value = (figures: ReturnType<typeof scaleFigures>, name: string) =>
  figures.find((figure) => figure.name === name)?.value;

describe('scaleFigures', () => {
  it('names every figure by its size, and rounds them', () => {
    const figures = scaleFigures([result(100, 1.23456, 2.5, 512.345)]);
    expect(figures).toEqual([
      { name: 'scale.applications.100', value: 306, unit: 'count' },
      { name: 'scale.synthesize_s.100', value: 2, unit: 's' },
      { name: 'scale.generate_one_s.100', value: 0.5, unit: 's' },
      { name: 'scale.render_cold_s.100', value: 1.235, unit: 's' },
      { name: 'scale.render_warm_s.100', value: 0.123, unit: 's' },
      { name: 'scale.validate_s.100', value: 2.5, unit: 's' },
      { name: 'scale.rss_mib.100', value: 512.3, unit: 'MiB' },
    ]);
  });

  it('compares each size with the next smaller one, whatever order they were measured in', () => {
    const figures = scaleFigures([result(1000, 12, 30), result(100, 1, 2), result(300, 3, 6)]);
    expect(figures.map((figure) => figure.name).filter((name) => name.includes('ratio'))).toEqual([
      'scale.render_ratio_300_100',
      'scale.validate_ratio_300_100',
      'scale.render_ratio_1000_300',
      'scale.validate_ratio_1000_300',
    ]);
    expect(value(figures, 'scale.render_ratio_1000_300')).toBe(4);
    expect(value(figures, 'scale.validate_ratio_1000_300')).toBe(5);
    expect(value(figures, 'scale.render_ratio_300_100')).toBe(3);
  });

  it('always gives 1000 against 300 when both ran, also with a size between them', () => {
    const figures = scaleFigures([result(300, 3, 6), result(500, 5, 10), result(1000, 10, 20)]);
    expect(value(figures, 'scale.render_ratio_500_300')).toBe(1.67);
    expect(value(figures, 'scale.render_ratio_1000_500')).toBe(2);
    expect(value(figures, 'scale.render_ratio_1000_300')).toBe(3.33);
    expect(figures.filter((figure) => figure.name === 'scale.render_ratio_1000_300')).toHaveLength(1);
  });

  it('gives no ratio for a single size', () => {
    expect(scaleFigures([result(300, 3, 6)]).some((figure) => figure.name.includes('ratio'))).toBe(false);
  });
});

describe('SCALE_TARGETS', () => {
  it.each([
    ['scale.render_ratio_1000_300', 3.6, 'PASS'],
    ['scale.render_ratio_1000_300', 3.61, 'FAIL'],
    ['scale.validate_ratio_1000_300', 3.33, 'PASS'],
    ['scale.validate_ratio_1000_300', 6.2, 'FAIL'],
    ['scale.rss_mib.1000', 1535.9, 'PASS'],
    ['scale.rss_mib.1000', 1536, 'FAIL'],
    ['scale.rss_mib.300', 4000, ''],
    ['scale.render_ratio_300_100', 9, ''],
  ])('%s = %d: %s', (name, figure, expected) => {
    expect(verdict({ name, value: figure, unit: 'x' }, SCALE_TARGETS)).toBe(expected);
  });

  it('show in the table beside their figures', () => {
    const table = formatTable([{ name: 'scale.render_ratio_1000_300', value: 6.2, unit: 'x' }], SCALE_TARGETS);
    expect(table).toMatch(/scale\.render_ratio_1000_300\s+6\.2\s+x\s+<= 3\.6 x\s+FAIL/);
  });
});
