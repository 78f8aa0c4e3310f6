/**
 * bcrypt with cost 10 in the `$2b$` format, which the seed's servers in every language verify.
 * The native binding hashes on libuv's thread pool, off the event loop.
 */
import bcrypt from 'bcrypt';

const BCRYPT_COST = 10;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

export const bcryptHasher: PasswordHasher = {
  hash: (password) => bcrypt.hash(password, BCRYPT_COST),
  // Hashes from other bcrypt ports ($2a$, $2y$) verify the same way.
  verify: (password, hash) => bcrypt.compare(password, hash.replace(/^\$2y\$/, '$2b$')),
};
