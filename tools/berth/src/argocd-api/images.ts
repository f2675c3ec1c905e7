// Container images as Argo CD lists them (status.summary.images: repo[:tag][@digest]) against what an overlay names: pure.
import type { DeployedVersion } from '../workspace/overlay';

export const normalName = (image: string) => image.replace(/^docker\.io\//, '').replace(/^library\//, '');

/** Splits repo[:tag][@digest]; the tag is after the last ":" that follows the last "/". */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [rest, digest] = image.split('@');
  const colon = rest.lastIndexOf(':');
  const tagged = colon > rest.lastIndexOf('/');
  return {
    name: normalName(tagged ? rest.slice(0, colon) : rest),
    tag: tagged ? rest.slice(colon + 1) : undefined,
    digest,
  };
}

/** Whether Argo CD's status.summary.images shows the version running: the digest when it is pinned, else the tag. */
export function runsImage(images: string[], version: DeployedVersion, repository?: string): boolean {
  return images.map(splitImage).some((image) => {
    if (repository !== undefined && image.name !== normalName(repository)) return false;
    return version.digest ? image.digest === version.digest : image.tag === version.tag && !image.digest;
  });
}
