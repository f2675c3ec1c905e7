// `berth upgrade` on the command line: what moved, and the commit that records it.
import { upgrade, type UpgradeOptions } from '../upgrade/command';
import { plural } from '../util/plural';

export async function upgradeCommand(options: UpgradeOptions & { json?: boolean }): Promise<void> {
  const report = await upgrade(options);
  if (options.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  if (report.files.length === 0) {
    console.log(`Already current with berth ${report.berthVersion}: nothing to upgrade.`);
    return;
  }
  const lines = [
    report.library ? `library chart ${report.library.name}: ${report.library.from} -> ${report.library.to}` : undefined,
    ...report.services.map((service) => `charts/${service.name}: version ${service.from} -> ${service.to}`),
    report.derived.length ? `derived files regenerated: ${report.derived.length}` : undefined,
  ].filter(Boolean);
  const verdict = report.commit
    ? `Upgraded to berth ${report.berthVersion} in commit ${report.commit.slice(0, 12)}`
    : `Would upgrade to berth ${report.berthVersion} (dry run, nothing written)`;
  console.log(`${verdict}: ${plural(report.files.length, 'file')}.\n${lines.map((line) => `  ${line}`).join('\n')}`);
}
