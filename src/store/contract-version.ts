import { StoreContractError } from '../errors/store-errors.js';
import { type CapaStore, STORE_CONTRACT_VERSION } from './contract.js';

/**
 * Refuses a store that does not declare the contract version this capa-kit needs, with a
 * `StoreContractError`: a store written for contract 1 has no `contractVersion`, keeps no
 * reference and shares one reference sequence between kinds. (A module of its own: the
 * stores never need it, and their bundles stay without the error's text.)
 */
export function requireStoreContract(store: CapaStore): void {
  const found = (store as { contractVersion?: unknown }).contractVersion;
  if (found !== STORE_CONTRACT_VERSION) throw new StoreContractError(found, STORE_CONTRACT_VERSION);
}
