/**
 * @module twofold-auth/storage
 * twofold's storage: open a datastore from a URL, or build one on your own Kysely instance, and the
 * `Datastore` contract a storage of your own implements. This is the canonical import path for storage;
 * `twofold-auth` re-exports `openDatastore`, `KyselyDatastore` and the datastore types for convenience.
 */
export type {
  Datastore,
  NewUser,
  SecondFactorClaim,
  SecondFactorLockoutPolicy,
  StoredUser,
  StoredOneTimeCode,
  StoredRecoveryCode,
  TwoFactorSettings,
} from './store/datastore.js';
export { openDatastore, KyselyDatastore, type DialectKind, type TwofoldDb } from './store/kysely/index.js';
