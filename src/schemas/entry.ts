// capa-kit/schemas: the record schemas and the errors they throw, without the machine.
export * from './index.js';
export * from '../errors/index.js';
