/**
 * Remembers which request nonces have been used, so a captured signed request cannot be
 * replayed. `claim` is atomic: of two concurrent claims of one nonce, exactly one wins.
 */
export interface NonceStore {
  /** True when the nonce was unused and is now claimed for at least `ttlSeconds`. */
  claim(nonce: string, ttlSeconds: number): Promise<boolean>;
  close(): Promise<void>;
}
