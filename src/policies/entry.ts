// capa-kit/policies: severity policies (presets, validation, due dates), without the machine.
export * from './index.js';
