export { canonicalJson } from './canonical.js';
export { hashJson } from './hash.js';
export { sealEntry, firstBrokenLink, type UnsealedEntry, type BrokenLink } from './chain.js';
