import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/stores/memory.js';
import { runStoreConformance } from '../../src/testing/index.js';

// The reference store against the storage contract's conformance kit, as an adapter
// author would run it.
runStoreConformance({ name: 'memory', describe, it, expect, createStore: async () => memoryStore() });
