export { CAPA_ERROR_CODES, type CapaErrorCode } from './codes.js';
export { CapaError, isCapaError } from './capa-error.js';
export { CapaValidationError, formatPath, type ValidationIssue } from './validation-error.js';
export { CapaTransitionError, type UnmetRequirement } from './transition-error.js';
export { formatCapaError } from './format.js';
export {
  ConcurrencyError,
  NotFoundError,
  ForbiddenError,
  SignatureError,
  SignerMismatchError,
  StoreError,
  StoreBusyError,
  StoreSchemaError,
  StoreMissingError,
  DuplicateReferenceError,
  type DuplicateReference,
  StoreContractError,
} from './store-errors.js';
export { MissingPackageError } from './missing-package.js';
