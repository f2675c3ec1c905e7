// Every image is pinned: a tag that is neither empty nor "latest", or a digest.
import { allContainers, objectName, type Rule } from '../context';

/** The tag of an image reference, or undefined when it has none (a port in the registry host is not a tag). */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

export const imageTagRule: Rule = {
  id: 'image-tag',
  description: 'images are pinned to a version tag or a digest, never latest or untagged',
  check(context) {
    return allContainers(context).flatMap(({ object, container, path, environment, application, service }) => {
      const image = String(container.image ?? '');
      const tag = imageTag(image);
      if (image.includes('@sha256:') || (tag && tag !== 'latest')) return [];
      return [
        {
          rule: this.id,
          environment,
          application,
          object: objectName(object),
          field: `${path}.image`,
          message: tag === 'latest' ? `image "${image}" uses the mutable tag latest.` : `image "${image}" has no tag.`,
          fix: `set image.tag to a version in environments/${environment}/${service}.yaml.`,
        },
      ];
    });
  },
};
