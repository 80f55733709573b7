export { canonicalJson, hashJson } from './hash.js';
export { sealEntry, firstBrokenLink, type UnsealedEntry, type BrokenLink } from './chain.js';
