// Checks every option of `berth new` before anything is written; all problems are reported at once.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { BerthError } from '../errors';
import { urlCredentials } from '../secrets/detect';
import { MAX_ENVIRONMENT_NAME, isDnsName, nameProblem } from '../workspace/names';
import { plural } from '../util/plural';

export interface NewOptions {
  dir: string;
  org?: string;
  repoUrl?: string;
  awsAccount?: string;
  region?: string;
  domain?: string;
  /** Comma-separated, in promotion order. */
  envs?: string;
  example?: boolean;
  /** The registry npm installs berth's scope from (written to .npmrc); absent: the user's npm config decides. */
  npmRegistry?: string;
}

export interface NewRepository {
  /** Absolute path of the repository to create. */
  dir: string;
  org: string;
  repoURL: string;
  account: string;
  region: string;
  domain: string;
  /** In promotion order: each promotes from the one before. */
  environments: string[];
  example: boolean;
  /** Normalised to end in "/". */
  npmRegistry?: string;
}

export const DEFAULT_ENVIRONMENTS = 'dev,stage,prod';
/** `<org>-<env>` names the environment's ALB group (at most 63 characters). */
export const MAX_ORG_NAME = 40;
export const ACCOUNT = /^\d{12}$/;
/** AWS region names: eu-west-1, us-gov-west-1, ap-southeast-2, cn-north-1. */
export const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
/** Characters a URL may hold (RFC 3986); anything else (spaces, newlines, quotes, braces) must be percent-encoded. */
const URL_CHARACTERS = "[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]";
/** What Argo CD can clone: https://, ssh:// or git:// URLs, or scp-like git@host:path. */
const REPO_URL = new RegExp(
  `^(?:(?:https?|ssh|git)://[^\\s/]+/${URL_CHARACTERS}+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:${URL_CHARACTERS}+)$`,
);
/** A password or token in a URL would be copied into every AppProject and Application (ssh://git@host is no secret). */
/** Namespaces a cluster already uses for itself; an environment's services must not land there. */
const SYSTEM_NAMESPACES = /^(kube-.*|default|argocd)$/;

interface Problem {
  option: string;
  problem: string;
  fix: string;
}

export function normalizeNewOptions(options: NewOptions): NewRepository {
  const problems: Problem[] = [];
  const fail = (option: string, problem: string, fix: string) => problems.push({ option, problem, fix });
  const required = (option: string, value: string | undefined, example: string): string => {
    if (value === undefined || value.trim() === '') fail(option, 'is required.', `pass ${option} ${example}.`);
    return value?.trim() ?? '';
  };

  const org = required('--org', options.org, 'acme');
  if (org) {
    const problem = nameProblem(org, MAX_ORG_NAME);
    if (problem)
      fail(
        '--org',
        `${JSON.stringify(org)} ${problem}.`,
        'pass a short lower-case name such as "acme"; it names the ALB groups and the secret prefixes.',
      );
  }
  const repoURL = required('--repo-url', options.repoUrl, 'https://github.com/acme/platform-gitops.git');
  const credential = repoURL ? urlCredentials(repoURL) : undefined;
  // checked first, and without echoing the URL: it would land in berth.yaml and every Argo CD object
  if (credential)
    fail(
      '--repo-url',
      `holds ${credential}; it would be written into berth.yaml and every AppProject and Application.`,
      'pass the URL without credentials and give Argo CD a repository Secret (argocd repo add); then revoke the token.',
    );
  else if (repoURL && !REPO_URL.test(repoURL))
    fail(
      '--repo-url',
      `${JSON.stringify(repoURL)} is not a git URL Argo CD can clone.`,
      'pass an https://, ssh:// or git@host:path URL of the new repository, special characters percent-encoded.',
    );
  const account = required('--aws-account', options.awsAccount, '123456789012');
  if (account && !ACCOUNT.test(account))
    fail(
      '--aws-account',
      `${JSON.stringify(account)} is not an AWS account id (12 digits).`,
      'pass the account that holds the clusters and the ECR repositories, e.g. 123456789012.',
    );
  const region = required('--region', options.region, 'eu-west-1');
  if (region && !REGION.test(region))
    fail(
      '--region',
      `${JSON.stringify(region)} is not an AWS region name.`,
      'pass a region such as eu-west-1 or us-gov-west-1.',
    );
  const domain = required('--domain', options.domain, 'example.com').replace(/\.$/, '');
  if (domain && (!isDnsName(domain) || !domain.includes('.')))
    fail(
      '--domain',
      `${JSON.stringify(domain)} is not a DNS domain.`,
      'pass a lower-case domain with at least two labels, e.g. example.com; non-production environments get <env>.<domain>.',
    );

  const environments = (options.envs ?? DEFAULT_ENVIRONMENTS).split(',').map((env) => env.trim());
  const seen = new Set<string>();
  for (const env of environments) {
    const problem = nameProblem(env, MAX_ENVIRONMENT_NAME);
    if (problem)
      fail(
        '--envs',
        `the environment ${JSON.stringify(env)} ${problem}.`,
        `pass comma-separated DNS labels of at most ${MAX_ENVIRONMENT_NAME} characters in promotion order, e.g. ${DEFAULT_ENVIRONMENTS}.`,
      );
    else if (SYSTEM_NAMESPACES.test(env))
      fail(
        '--envs',
        `"${env}" is a namespace the cluster uses for itself (the environment's namespace is its name).`,
        'choose another environment name.',
      );
    else if (seen.has(env)) fail('--envs', `names "${env}" twice.`, 'list each environment once, in promotion order.');
    else if (domain && !problems.some((entry) => entry.option === '--domain') && !isDnsName(`${env}.${domain}`))
      fail(
        '--envs',
        `"${env}.${domain}" would be too long for a DNS name.`,
        'choose a shorter environment name or domain.',
      );
    seen.add(env);
  }

  const npmRegistry =
    options.npmRegistry === undefined ? undefined : normalizeRegistry(options.npmRegistry.trim(), fail);

  const dir = resolve(options.dir ?? '');
  if (!options.dir)
    fail('<dir>', 'is required.', 'name the folder the new repository goes into, e.g. berth new platform-gitops ...');
  else if (existsSync(dir) && !statSync(dir).isDirectory())
    fail('<dir>', `${dir} exists and is not a folder.`, 'name a new folder.');
  else if (existsSync(dir) && readdirSync(dir).length > 0)
    fail('<dir>', `${dir} exists and is not empty.`, 'name a new or empty folder; berth new never writes over files.');

  if (problems.length === 1) {
    const [{ option, problem, fix }] = problems;
    throw new BerthError(problem, { field: option, fix });
  }
  if (problems.length > 1) {
    throw new BerthError(
      `${plural(problems.length, 'option')} need fixing; nothing was written:\n${problems.map(({ option, problem, fix }) => `  ${option}: ${problem} Fix: ${fix}`).join('\n')}`,
    );
  }
  return {
    dir,
    org,
    repoURL,
    account,
    region,
    domain,
    environments,
    example: Boolean(options.example),
    ...(npmRegistry ? { npmRegistry } : {}),
  };
}

/** The registry URL, ending in "/", or undefined after reporting why it cannot go into .npmrc. */
function normalizeRegistry(
  value: string,
  fail: (option: string, problem: string, fix: string) => void,
): string | undefined {
  const fix =
    'pass the http(s) URL of the registry that serves berth, e.g. https://npm.example.com/; npm keeps its credentials in your own ~/.npmrc.';
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (!url || !/^https?:$/.test(url.protocol) || !new RegExp(`^${URL_CHARACTERS}+$`).test(value)) {
    fail('--npm-registry', `${JSON.stringify(value)} is not an http(s) URL.`, fix);
    return undefined;
  }
  if (url.username || url.password) {
    fail('--npm-registry', 'holds credentials, which would be committed in .npmrc.', fix);
    return undefined;
  }
  return value.endsWith('/') ? value : `${value}/`;
}
