/**
 * Upload-link keys in AWS Secrets Manager. Why Secrets Manager rather than SSM: its version stages are exactly the
 * two keys links need. `AWSCURRENT` signs and verifies; `AWSPREVIOUS` (set by Secrets Manager itself when a new value
 * is put) still verifies, so a rotation does not kill live links; removing the `AWSPREVIOUS` stage revokes every
 * link the old key signed. SSM SecureString parameters have no stages: two parameters and our own bookkeeping.
 *
 * The secret string itself is the key (at least 32 bytes of UTF-8, e.g. the 64 random characters the stack
 * generates). Keys are cached for a few minutes per container: a rotation or revocation takes effect within that.
 */
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { LinkKeys } from '../core/ports';
import { StoreError } from '../core/ports';
import { type SigningKey, type SigningKeyRing, signingKey } from '../core/signed-link';

/** How long a container trusts the keys it read. */
export const LINK_KEY_CACHE_MS = 5 * 60 * 1000;

export class SecretsManagerLinkKeys implements LinkKeys {
  private cached: { ring: SigningKeyRing; at: number } | undefined;

  constructor(private readonly options: { client: SecretsManagerClient; secretId: string; now?: () => number }) {}

  private async stage(stage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<SigningKey | undefined> {
    try {
      const out = await this.options.client.send(
        new GetSecretValueCommand({ SecretId: this.options.secretId, VersionStage: stage }),
      );
      if (!out.SecretString) throw new StoreError(`the link key secret has no text value (${stage})`);
      return signingKey(new TextEncoder().encode(out.SecretString));
    } catch (err) {
      // No previous version (never rotated, or revoked): only the current key verifies.
      if (stage === 'AWSPREVIOUS' && err instanceof ResourceNotFoundException) return undefined;
      if (err instanceof StoreError) throw err;
      throw new StoreError(`cannot read the link key secret (${stage})`, { cause: err });
    }
  }

  async keyRing(): Promise<SigningKeyRing> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now - this.cached.at < LINK_KEY_CACHE_MS) return this.cached.ring;
    const [current, previous] = await Promise.all([this.stage('AWSCURRENT'), this.stage('AWSPREVIOUS')]);
    const ring: SigningKeyRing = { current: current! };
    if (previous && previous.id !== current!.id) ring.previous = previous;
    this.cached = { ring, at: now };
    return ring;
  }
}
