import { type DigestAlgorithm, isSupportedAlgorithm, parseDigest } from '@berth/oci-spec';
import { RegistryError } from './errors.js';

/**
 * The algorithm of a digest this client can verify (sha256, sha512). A malformed digest or one of
 * another algorithm is refused up front with EINVALID, before anything is fetched.
 */
export function digestAlgorithm(digest: string): DigestAlgorithm {
  let algorithm: string;
  try {
    algorithm = parseDigest(digest).algorithm;
  } catch (error) {
    throw new RegistryError('EINVALID', `invalid digest ${JSON.stringify(digest)}`, { digest, cause: error });
  }
  if (!isSupportedAlgorithm(algorithm)) {
    throw new RegistryError(
      'EINVALID',
      `digest ${digest} uses ${algorithm}; berth verifies sha256 and sha512`,
      {
        digest,
      },
    );
  }
  return algorithm;
}
