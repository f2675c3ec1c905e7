// image-tag: every image is pinned to a version tag or a digest; latest and untagged images are refused.
import { describe, expect, it } from 'vitest';
import { imageTag, imageTagRule } from '../../src/validate/rules/image-tag';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const ecr = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-a';
const digest = 'sha256:' + 'a'.repeat(64);
const setImage =
  (image: string, env = 'dev') =>
  (p: Platform) =>
    (p.container(env, 'service-a').image = image);
const at = (env = 'dev') => ({
  environment: env,
  application: `${env}-service-a`,
  object: 'Deployment/service-a',
  field: 'spec.template.spec.containers[0].image',
});

describe('imageTag', () => {
  it.each([
    [`${ecr}:1.4.3`, '1.4.3'],
    [`${ecr}`, undefined],
    ['registry.local:5000/team/app', undefined],
    ['registry.local:5000/team/app:2.0.0', '2.0.0'],
    [`${ecr}@${digest}`, undefined],
    [`${ecr}:1.4.3@${digest}`, '1.4.3'],
    ['postgres:latest', 'latest'],
  ])('%s has tag %s', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });
});

describeRule(imageTagRule, {
  accepts: [
    { name: 'an image pinned by digest alone', change: setImage(`${ecr}@${digest}`) },
    { name: 'latest pinned by a digest', change: setImage(`${ecr}:latest@${digest}`) },
    { name: 'a tag on a registry with a port', change: setImage('registry.local:5000/team/service-a:1.4.3') },
  ],
  rejects: [
    { name: 'the mutable tag latest', change: setImage(`${ecr}:latest`), finding: at(), message: /latest/ },
    { name: 'no tag', change: setImage(ecr), finding: at(), message: /has no tag/ },
    { name: 'an empty tag', change: setImage(`${ecr}:`), finding: at(), message: /has no tag/ },
    {
      name: 'a registry port mistaken for a tag',
      change: setImage('registry.local:5000/team/service-a'),
      finding: at(),
      message: /has no tag/,
    },
    { name: 'latest in prod only', change: setImage(`${ecr}:latest`, 'prod'), finding: at('prod') },
    {
      name: 'an init container on latest',
      change: (p) =>
        (p.object('dev', 'postgres', 'StatefulSet/postgres').spec.template.spec.initContainers = [
          { name: 'init', image: 'busybox:latest' },
        ]),
      finding: {
        environment: 'dev',
        application: 'dev-postgres',
        object: 'StatefulSet/postgres',
        field: 'spec.template.spec.initContainers[0].image',
      },
    },
  ],
});
