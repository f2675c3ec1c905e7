// One ALB per group: identical group-wide annotations, scheme and target type stated, no host and path claimed twice.
import { objectName, type KubeObject, type Rule } from '../context';
import type { Finding } from '../finding';

const PREFIX = 'alb.ingress.kubernetes.io/';
/** Annotations the AWS Load Balancer Controller reads per Ingress; every other one configures the shared ALB. */
const PER_INGRESS =
  /^(group\.order|healthcheck-.*|healthy-threshold-count|unhealthy-threshold-count|success-codes|target-group-attributes|backend-protocol.*|actions\..*|conditions\..*|auth-.*)$/;
const REQUIRED = ['group.name', 'scheme', 'target-type'];

const ingresses = (context: Parameters<Rule['check']>[0]) =>
  context.renders.flatMap((render) =>
    render.applications.flatMap((app) =>
      app.objects
        .filter((object) => object.kind === 'Ingress')
        .map((object) => ({ environment: render.environment.name, application: app.application, object })),
    ),
  );

const groupAnnotations = (object: KubeObject): Record<string, string> =>
  Object.fromEntries(
    Object.entries(object.metadata?.annotations ?? {}).filter(
      ([key]) => key.startsWith(PREFIX) && !PER_INGRESS.test(key.slice(PREFIX.length)),
    ),
  ) as Record<string, string>;

/** What most members of a group say for one annotation (the earliest member on a tie), so the odd one out is the one reported. */
function consensus<Member extends { object: KubeObject }>(
  members: Member[],
  key: string,
): { value: string | undefined; holder: Member } {
  const votes = new Map<string | undefined, { count: number; holder: Member }>();
  for (const member of members) {
    const value = groupAnnotations(member.object)[key];
    const vote = votes.get(value) ?? { count: 0, holder: member };
    votes.set(value, { ...vote, count: vote.count + 1 });
  }
  const [value, { holder }] = [...votes].reduce((best, candidate) =>
    candidate[1].count > best[1].count ? candidate : best,
  );
  return { value, holder };
}

export const albGroupRule: Rule = {
  id: 'alb-group',
  description: 'Ingresses of one ALB group state scheme and target-type and share identical group-wide annotations',
  check(context) {
    const findings: Finding[] = [];
    const groups = new Map<string, ReturnType<typeof ingresses>>();
    for (const entry of ingresses(context)) {
      const annotations = entry.object.metadata?.annotations ?? {};
      const at = {
        rule: this.id,
        environment: entry.environment,
        application: entry.application,
        object: objectName(entry.object),
      };
      if (entry.object.spec?.ingressClassName !== 'alb')
        findings.push({
          ...at,
          field: 'spec.ingressClassName',
          message: `is ${entry.object.spec?.ingressClassName ?? 'unset'}, not alb.`,
          fix: 'set ingressClassName: alb (the library chart does).',
        });
      for (const key of REQUIRED) {
        if (!annotations[PREFIX + key])
          findings.push({
            ...at,
            field: `metadata.annotations.${PREFIX}${key}`,
            message: 'is not set.',
            fix: `state ${PREFIX}${key} explicitly (from env.yaml ingress settings).`,
          });
      }
      // without group.name an Ingress gets an ALB of its own, so there is nothing to agree with
      const groupName = annotations[`${PREFIX}group.name`];
      if (!groupName) continue;
      const group = `${entry.environment}/${groupName}`;
      groups.set(group, [...(groups.get(group) ?? []), entry]);
    }
    for (const members of groups.values()) {
      const groupName = members[0].object.metadata.annotations[`${PREFIX}group.name`];
      const keys = new Set(members.flatMap((member) => Object.keys(groupAnnotations(member.object))));
      for (const key of keys) {
        const agreed = consensus(members, key);
        for (const member of members) {
          const own = groupAnnotations(member.object)[key];
          // a missing required annotation is reported above already
          if (own === agreed.value || (own === undefined && REQUIRED.includes(key.slice(PREFIX.length)))) continue;
          findings.push({
            rule: this.id,
            environment: member.environment,
            application: member.application,
            object: objectName(member.object),
            field: `metadata.annotations.${key}`,
            message: `is ${JSON.stringify(own ?? null)} but ${objectName(agreed.holder.object)} (${agreed.holder.application}) and the rest of ALB group ${groupName} have ${JSON.stringify(agreed.value ?? null)}; the group is one load balancer, so its settings must agree.`,
            fix: 'set group-wide ALB settings only in env.yaml ingress, never per service.',
          });
        }
      }
    }
    return findings;
  },
};

export const ingressConflictRule: Rule = {
  id: 'ingress-conflict',
  description: 'no two Ingress rules of an environment claim the same host and path',
  check(context) {
    const findings: Finding[] = [];
    const claims = new Map<string, { application: string; object: KubeObject }>();
    for (const entry of ingresses(context)) {
      (entry.object.spec?.rules ?? []).forEach((rule: KubeObject, ruleIndex: number) => {
        (rule.http?.paths ?? []).forEach((path: KubeObject, pathIndex: number) => {
          const claim = `${entry.environment} ${rule.host ?? '*'}${path.path ?? '/'}`;
          const owner = claims.get(claim);
          if (!owner) return void claims.set(claim, { application: entry.application, object: entry.object });
          findings.push({
            rule: this.id,
            environment: entry.environment,
            application: entry.application,
            object: objectName(entry.object),
            field: `spec.rules[${ruleIndex}].http.paths[${pathIndex}]`,
            message: `claims ${rule.host ?? '*'}${path.path ?? '/'}, which ${objectName(owner.object)} (${owner.application}) already routes.`,
            fix: 'give one of the services another ingress.path or ingress.host.',
          });
        });
      });
    }
    return findings;
  },
};

/** Whether a host name (or a *.wildcard) lies under a domain: the domain itself or a name ending in .domain. */
export const underDomain = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/** Every host name an Ingress claims: its rules, its TLS hosts and external-dns's hostname annotation. */
function claimedHosts(object: KubeObject): { field: string; host: string | undefined }[] {
  const hosts: { field: string; host: string | undefined }[] = [];
  (object.spec?.rules ?? []).forEach((rule: KubeObject, index: number) =>
    hosts.push({ field: `spec.rules[${index}].host`, host: rule?.host }),
  );
  (object.spec?.tls ?? []).forEach((tls: KubeObject, index: number) =>
    (tls?.hosts ?? []).forEach((host: string, hostIndex: number) =>
      hosts.push({ field: `spec.tls[${index}].hosts[${hostIndex}]`, host }),
    ),
  );
  const externalDns = object.metadata?.annotations?.['external-dns.alpha.kubernetes.io/hostname'];
  if (typeof externalDns === 'string')
    for (const host of externalDns.split(','))
      hosts.push({ field: 'metadata.annotations.external-dns.alpha.kubernetes.io/hostname', host: host.trim() });
  return hosts;
}

export const ingressDomainRule: Rule = {
  id: 'ingress-domain',
  description: "every host an Ingress claims lies under its environment's domain, and under no other environment's",
  check(context) {
    const domains = context.workspace.environments.map((env) => ({ name: env.name, domain: env.domain }));
    return ingresses(context).flatMap((entry) => {
      const env = context.workspace.environments.find((candidate) => candidate.name === entry.environment)!;
      const at = {
        rule: this.id,
        environment: entry.environment,
        application: entry.application,
        object: objectName(entry.object),
      };
      return claimedHosts(entry.object).flatMap(({ field, host }): Finding[] => {
        const fix = `set ingress.host to a name under ${env.domain} (a bare name such as "api" becomes api.${env.domain}).`;
        if (!host)
          return [
            {
              ...at,
              field,
              message: `routes every host name to the service (no host), ${env.domain}'s neighbours included.`,
              fix,
            },
          ];
        const name = host.toLowerCase().replace(/\.$/, '');
        if (!underDomain(name, env.domain))
          return [{ ...at, field, message: `claims ${host}, outside ${env.name}'s domain ${env.domain}.`, fix }];
        // prod's example.com contains dev.example.com: a host there belongs to dev
        const other = domains.find(
          (candidate) =>
            candidate.name !== env.name &&
            candidate.domain.length > env.domain.length &&
            underDomain(name, candidate.domain),
        );
        if (other)
          return [
            { ...at, field, message: `claims ${host}, which lies under ${other.name}'s domain ${other.domain}.`, fix },
          ];
        return [];
      });
    });
  },
};
