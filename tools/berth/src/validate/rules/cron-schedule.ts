// Every CronJob's spec.schedule is one the API server accepts: five cron fields in range, or a descriptor.
import { cronProblems } from '../../workspace/cron';
import { objectName, type Rule } from '../context';
import type { Finding } from '../finding';

export const cronScheduleRule: Rule = {
  id: 'cron-schedule',
  description: "every CronJob's schedule is valid cron as Kubernetes parses it (robfig/cron)",
  check(context) {
    const findings: Finding[] = [];
    for (const render of context.renders) {
      const environment = render.environment.name;
      for (const app of render.applications) {
        const home = `schedule in charts/${app.service}/values.yaml or environments/${environment}/${app.service}.yaml`;
        for (const object of app.objects.filter((candidate) => candidate.kind === 'CronJob')) {
          const where = {
            rule: this.id,
            environment,
            application: app.application,
            object: objectName(object),
            field: 'spec.schedule',
          };
          const schedule = object.spec?.schedule;
          if (typeof schedule !== 'string') {
            findings.push({
              ...where,
              message: `is ${JSON.stringify(schedule ?? null)}, not a cron schedule.`,
              fix: `set ${home}, e.g. "30 2 * * *".`,
            });
            continue;
          }
          for (const problem of cronProblems(schedule)) {
            findings.push({
              ...where,
              message: `"${schedule}": ${problem.problem}`,
              fix: `${problem.fix.replace(/\.$/, '')}; set ${home}.`,
            });
          }
        }
      }
    }
    return findings;
  },
};
