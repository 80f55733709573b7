// The error classes, their stable codes, and the one formatter people read.
import { runInNewContext } from 'node:vm';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CAPA_ERROR_CODES,
  CapaError,
  CapaTransitionError,
  CapaValidationError,
  formatCapaError,
  formatPath,
  isCapaError,
  parseRecord,
  Person,
  SignatureError,
  SignerMismatchError,
  DuplicateReferenceError,
  StoreBusyError,
  StoreContractError,
  StoreError,
  StoreSchemaError,
  StoreMissingError,
  MissingPackageError,
  type CapaErrorCode,
  type ValidationIssue,
} from 'capa-kit';

describe('CAPA_ERROR_CODES', () => {
  const codes = Object.values(CAPA_ERROR_CODES);

  it('values are unique', () => {
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('values start with CAPA_ and are upper snake case', () => {
    for (const code of codes) expect(code).toMatch(/^CAPA_[A-Z]+(_[A-Z]+)*$/);
  });

  it('the published codes are stable', () => {
    expect(CAPA_ERROR_CODES).toEqual({
      validation: 'CAPA_VALIDATION',
      invalidPolicy: 'CAPA_INVALID_POLICY',
      transitionRefused: 'CAPA_TRANSITION_REFUSED',
      unsupportedSnapshot: 'CAPA_UNSUPPORTED_SNAPSHOT',
      concurrency: 'CAPA_CONCURRENCY',
      forbidden: 'CAPA_FORBIDDEN',
      signature: 'CAPA_SIGNATURE',
      signerMismatch: 'CAPA_SIGNER_MISMATCH',
      notFound: 'CAPA_NOT_FOUND',
      store: 'CAPA_STORE',
      storeBusy: 'CAPA_STORE_BUSY',
      storeSchema: 'CAPA_STORE_SCHEMA',
      storeMissing: 'CAPA_STORE_MISSING',
      missingPackage: 'CAPA_MISSING_PACKAGE',
      duplicateReference: 'CAPA_DUPLICATE_REFERENCE',
      storeContract: 'CAPA_STORE_CONTRACT',
      noteMalformed: 'CAPA_NOTE_MALFORMED',
      noteUnverified: 'CAPA_NOTE_UNVERIFIED',
      noteInvalidSignature: 'CAPA_NOTE_INVALID_SIGNATURE',
      noteAmbiguousKey: 'CAPA_NOTE_AMBIGUOUS_KEY',
      keyMalformed: 'CAPA_KEY_MALFORMED',
      checkpointMalformed: 'CAPA_CHECKPOINT_MALFORMED',
      checkpointOrigin: 'CAPA_CHECKPOINT_ORIGIN',
      checkpointSigner: 'CAPA_CHECKPOINT_SIGNER',
      proofInvalid: 'CAPA_PROOF_INVALID',
      cryptoUnavailable: 'CAPA_CRYPTO_UNAVAILABLE',
    });
    expectTypeOf<CapaErrorCode>().toEqualTypeOf<
      | 'CAPA_VALIDATION'
      | 'CAPA_INVALID_POLICY'
      | 'CAPA_TRANSITION_REFUSED'
      | 'CAPA_UNSUPPORTED_SNAPSHOT'
      | 'CAPA_CONCURRENCY'
      | 'CAPA_FORBIDDEN'
      | 'CAPA_SIGNATURE'
      | 'CAPA_SIGNER_MISMATCH'
      | 'CAPA_NOT_FOUND'
      | 'CAPA_STORE'
      | 'CAPA_STORE_BUSY'
      | 'CAPA_STORE_SCHEMA'
      | 'CAPA_STORE_MISSING'
      | 'CAPA_MISSING_PACKAGE'
      | 'CAPA_DUPLICATE_REFERENCE'
      | 'CAPA_STORE_CONTRACT'
      | 'CAPA_NOTE_MALFORMED'
      | 'CAPA_NOTE_UNVERIFIED'
      | 'CAPA_NOTE_INVALID_SIGNATURE'
      | 'CAPA_NOTE_AMBIGUOUS_KEY'
      | 'CAPA_KEY_MALFORMED'
      | 'CAPA_CHECKPOINT_MALFORMED'
      | 'CAPA_CHECKPOINT_ORIGIN'
      | 'CAPA_CHECKPOINT_SIGNER'
      | 'CAPA_PROOF_INVALID'
      | 'CAPA_CRYPTO_UNAVAILABLE'
    >();
  });
});

describe('CapaError', () => {
  it('is an Error with a code, a name and an optional cause', () => {
    const cause = new Error('disk full');
    const error = new CapaError('CAPA_UNSUPPORTED_SNAPSHOT', 'Snapshot version 9 is newer than this machine', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(CapaError);
    expect(error.name).toBe('CapaError');
    expect(error.code).toBe('CAPA_UNSUPPORTED_SNAPSHOT');
    expect(error.message).toBe('Snapshot version 9 is newer than this machine');
    expect(error.cause).toBe(cause);
    expect(error.stack).toContain('CapaError');
  });

  it('subclasses carry their own name', () => {
    expect(new CapaValidationError('Person', []).name).toBe('CapaValidationError');
    expect(new CapaTransitionError('draft', 'CLOSE', []).name).toBe('CapaTransitionError');
  });

  it('CapaValidationError defaults to CAPA_VALIDATION and may carry CAPA_INVALID_POLICY', () => {
    expect(new CapaValidationError('Person', []).code).toBe('CAPA_VALIDATION');
    expect(new CapaValidationError('SeverityPolicy', [], { code: 'CAPA_INVALID_POLICY' }).code).toBe('CAPA_INVALID_POLICY');
    const cause = new Error('x');
    expect(new CapaValidationError('Person', [], { cause }).cause).toBe(cause);
    expect('cause' in new CapaValidationError('Person', [])).toBe(false);
  });

  it('messages list the problems (for logs that print error.message)', () => {
    const issues: ValidationIssue[] = [
      { path: ['title'], code: 'too_big', message: 'Too big: expected string to have <=200 characters' },
      { path: [], code: 'unrecognized_keys', message: 'Unrecognized key: "extra"' },
    ];
    expect(new CapaValidationError('Finding', issues).message).toMatchInlineSnapshot(`
      "Invalid Finding: 2 problems
        - title: Too big: expected string to have <=200 characters (too_big)
        - (root): Unrecognized key: "extra" (unrecognized_keys)"
    `);
    expect(new CapaValidationError('Finding', issues.slice(0, 1)).message).toMatchInlineSnapshot(`
      "Invalid Finding: 1 problem
        - title: Too big: expected string to have <=200 characters (too_big)"
    `);
    expect(
      new CapaTransitionError('verifying', 'CLOSE', [{ code: 'closure.evidence', message: 'Closing needs closure evidence.' }]).message,
    ).toMatchInlineSnapshot(`
      "CLOSE refused in state "verifying"
        - Closing needs closure evidence. [closure.evidence]"
    `);
  });
});

describe('store errors with their own codes', () => {
  it('SignerMismatchError is a SignatureError with code CAPA_SIGNER_MISMATCH, naming the field and both people', () => {
    const jonas = { id: 'u-jonas', name: 'Jonas Berg' };
    const omar = { id: 'u-omar', name: 'Omar Haddad' };
    const error = new SignerMismatchError('verified effective', ['review', 'reviewer'], jonas, omar);
    expect(error).toBeInstanceOf(SignatureError);
    expect(error).toMatchObject({ name: 'SignerMismatchError', code: 'CAPA_SIGNER_MISMATCH', meaning: 'verified effective', field: ['review', 'reviewer'], named: jonas, signer: omar });
    expect(isCapaError(error, 'CAPA_SIGNER_MISMATCH')).toBe(true);
    expect(formatCapaError(error)).toBe(
      'CAPA_SIGNER_MISMATCH: Signature "verified effective" refused: the record names Jonas Berg (u-jonas) at review.reviewer, but Omar Haddad (u-omar) signs: the person a record names for a signed act is the signer.',
    );
  });

  it('StoreBusyError is a StoreError with code CAPA_STORE_BUSY', () => {
    const cause = new Error('SQLITE_BUSY');
    const error = new StoreBusyError('The database stayed locked by another writer for 50 ms.', 'capa.db', { cause });
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ name: 'StoreBusyError', code: 'CAPA_STORE_BUSY', where: 'capa.db', cause });
    expect(isCapaError(error, 'CAPA_STORE_BUSY')).toBe(true);
    expect(formatCapaError(error)).toBe('CAPA_STORE_BUSY: The database stayed locked by another writer for 50 ms. (capa.db)');
  });

  it('StoreSchemaError says what was found and what is supported', () => {
    const missing = new StoreSchemaError(null, 1, 'capa_schema_migrations');
    expect(missing).toBeInstanceOf(StoreError);
    expect(missing).toMatchObject({ name: 'StoreSchemaError', code: 'CAPA_STORE_SCHEMA', found: null, supported: 1 });
    expect(missing.message).toMatchInlineSnapshot(`"The capa-kit tables are not in this database: call migrate() on the store (or apply the SQL of the migration function) first. (capa_schema_migrations)"`);
    expect(new StoreSchemaError(3, 1).message).toMatchInlineSnapshot(
      `"The capa-kit tables are at schema version 3, newer than version 1, the newest this capa-kit supports: upgrade capa-kit. Nothing was changed."`,
    );
    expect(new StoreSchemaError(1, 2).message).toMatchInlineSnapshot(
      `"The capa-kit tables are at schema version 1; this capa-kit needs version 2: call migrate() on the store (or apply the SQL of the migration function)."`,
    );
  });
});

describe('a store that is not there, a package that is not installed', () => {
  it('StoreMissingError is a StoreError with code CAPA_STORE_MISSING, naming the place once', () => {
    const error = new StoreMissingError('/srv/capa-data', 'the directory does not exist');
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ name: 'StoreMissingError', code: 'CAPA_STORE_MISSING', where: '/srv/capa-data', reason: 'the directory does not exist' });
    expect(formatCapaError(error)).toBe('CAPA_STORE_MISSING: No capa store at /srv/capa-data: the directory does not exist.');
  });

  it('MissingPackageError gives the install command', () => {
    const cause = new Error("Cannot find package 'pg'");
    const error = new MissingPackageError('pg', 'postgresStore(connectionString)', { cause });
    expect(error).toMatchObject({ name: 'MissingPackageError', code: 'CAPA_MISSING_PACKAGE', packageName: 'pg', install: 'npm install pg', cause });
    expect(error.message).toBe('postgresStore(connectionString) needs the package "pg", which is not installed: npm install pg');
    expect(new MissingPackageError('fast-check', 'The conformance kit', { dev: true, alternative: 'an optional peer dependency' }).message).toBe(
      'The conformance kit needs the package "fast-check", which is not installed: npm install --save-dev fast-check (an optional peer dependency)',
    );
  });
});

describe('reference errors', () => {
  it('DuplicateReferenceError of a refused commit names the reference, the record holding it and the one refused', () => {
    const error = new DuplicateReferenceError([{ tenantId: 'acme', kind: 'finding', reference: 'NC-2026-0006', recordIds: ['f-1', 'f-2'] }], 'f-2');
    expect(error).toBeInstanceOf(CapaError);
    expect(error).toMatchObject({ name: 'DuplicateReferenceError', code: 'CAPA_DUPLICATE_REFERENCE', recordId: 'f-2' });
    expect(isCapaError(error, 'CAPA_DUPLICATE_REFERENCE')).toBe(true);
    expect(formatCapaError(error)).toMatchInlineSnapshot(
      `"CAPA_DUPLICATE_REFERENCE: The finding reference NC-2026-0006 of tenant acme is held by record f-1; record f-2 cannot take it too. Nothing was written."`,
    );
  });

  it('DuplicateReferenceError of stored data lists every duplicate, and a detail says what to do', () => {
    const many = Array.from({ length: 22 }, (_, i) => ({ tenantId: 'acme', kind: 'action' as const, reference: `CA-2026-${String(i + 1).padStart(4, '0')}`, recordIds: [`a-${i}`, `b-${i}`, `c-${i}`] }));
    const error = new DuplicateReferenceError(many, null, { detail: 'Nothing was changed.' });
    expect(error.recordId).toBeNull();
    expect(error.duplicates).toHaveLength(22);
    expect(error.message).toMatch(/^22 references are held by more than one record \(action CA-2026-0001 of tenant acme: records a-0, b-0, c-0; /);
    expect(error.message).toMatch(/; and 2 more\)\. Nothing was changed\.$/);
    expect(new DuplicateReferenceError(many.slice(0, 1)).message).toBe('A reference is held by more than one record (action CA-2026-0001 of tenant acme: records a-0, b-0, c-0).');
  });

  it('StoreContractError says which contract the store declares and what this capa-kit needs', () => {
    const none = new StoreContractError(undefined, 2);
    expect(none).toBeInstanceOf(StoreError);
    expect(none).toMatchObject({ name: 'StoreContractError', code: 'CAPA_STORE_CONTRACT', found: undefined, supported: 2 });
    expect(none.message).toMatch(/^The store declares no contractVersion: it was written for storage contract 1; this capa-kit needs storage contract 2: /);
    expect(new StoreContractError(3, 2).message).toMatch(/^The store declares contractVersion 3; this capa-kit needs storage contract 2/);
  });
});

describe('isCapaError', () => {
  const validation = new CapaValidationError('Person', []);
  const transition = new CapaTransitionError('draft', 'CLOSE', []);

  it('recognises instances, optionally by code', () => {
    expect(isCapaError(validation)).toBe(true);
    expect(isCapaError(validation, 'CAPA_VALIDATION')).toBe(true);
    expect(isCapaError(validation, 'CAPA_TRANSITION_REFUSED')).toBe(false);
    expect(isCapaError(transition, 'CAPA_TRANSITION_REFUSED')).toBe(true);
    expect(isCapaError(new CapaError('CAPA_UNSUPPORTED_SNAPSHOT', 'x'), 'CAPA_UNSUPPORTED_SNAPSHOT')).toBe(true);
  });

  it('duck-types errors from another bundle: a plain Error with a CAPA_ code', () => {
    const foreign = Object.assign(new Error('Invalid Person'), { code: 'CAPA_VALIDATION' });
    expect(foreign instanceof CapaError).toBe(false);
    expect(isCapaError(foreign)).toBe(true);
    expect(isCapaError(foreign, 'CAPA_VALIDATION')).toBe(true);
    expect(isCapaError(foreign, 'CAPA_INVALID_POLICY')).toBe(false);
  });

  const fromOtherRealm = (): unknown =>
    runInNewContext("(() => { const e = new Error('Invalid Person'); e.code = 'CAPA_VALIDATION'; return e; })()");

  it('an error from another realm (vm context) is not an instance of this realm\'s Error', () => {
    const foreign = fromOtherRealm();
    expect(foreign instanceof Error).toBe(false);
    expect(Object.prototype.toString.call(foreign)).toBe('[object Error]');
  });

  // Known bug (reported): the doc comment promises "Works across bundles and realms", but the
  // duck-typed branch also requires `value instanceof Error`, which is false for an Error made
  // in another realm. `it.fails` passes while the bug is there; flip it to `it` once fixed.
  it('duck-types errors from another realm (vm context)', () => {
    const foreign = fromOtherRealm();
    expect(isCapaError(foreign)).toBe(true);
    expect(isCapaError(foreign, 'CAPA_VALIDATION')).toBe(true);
  });

  it('refuses look-alikes', () => {
    expect(isCapaError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isCapaError(Object.assign(new Error('x'), { code: 42 }))).toBe(false);
    expect(isCapaError(new Error('CAPA_VALIDATION'))).toBe(false);
    expect(isCapaError({ code: 'CAPA_VALIDATION', message: 'x' })).toBe(false);
    expect(isCapaError('CAPA_VALIDATION')).toBe(false);
    expect(isCapaError(null)).toBe(false);
    expect(isCapaError(undefined)).toBe(false);
  });

  it('narrows to CapaError', () => {
    const value: unknown = validation;
    if (isCapaError(value)) expectTypeOf(value.code).toEqualTypeOf<CapaErrorCode>();
  });
});

describe('formatPath', () => {
  it.each<[readonly (string | number)[], string]>([
    [['actions', 0, 'owner'], 'actions[0].owner'],
    [[], '(root)'],
    [['title'], 'title'],
    [[0], '[0]'],
    [[0, 'id'], '[0].id'],
    [['grades', 5, 'id'], 'grades[5].id'],
    [['extensions', 'acme', 'riskId'], 'extensions.acme.riskId'],
    [['matrix', 1, 2], 'matrix[1][2]'],
    [['$defs', '_private'], '$defs._private'],
    [['risk register'], '["risk register"]'],
    [['extensions', 'acme.risk', 'id'], 'extensions["acme.risk"].id'],
    [['extensions', 'vendor-x'], 'extensions["vendor-x"]'],
    [['a', '0'], 'a["0"]'],
    [['a', ''], 'a[""]'],
    [['say "hi"'], '["say \\"hi\\""]'],
  ])('%j → %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe('formatCapaError', () => {
  it('a validation error from parseRecord: code, subject, one line per field and rule', () => {
    let thrown: unknown;
    try {
      parseRecord(Person, { id: 'u 1', name: '', email: 'x' });
    } catch (error) {
      thrown = error;
    }
    expect(formatCapaError(thrown)).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Person
        - id: Must contain only letters, digits, "_" and "-" [invalid_format]
        - name: Too small: expected string to have >=1 characters [too_small]
        - (root): Unrecognized key: "email" [unrecognized_keys]"
    `);
  });

  it('a validation error built by hand, with nested and quoted paths', () => {
    const error = new CapaValidationError('PlanActionsEvent', [
      { path: ['actions', 0, 'owner'], code: 'invalid_type', message: 'Invalid input: expected object, received undefined' },
      { path: ['extensions', 'acme.risk'], code: 'custom', message: 'Unknown namespace' },
      { path: [], code: 'unrecognized_keys', message: 'Unrecognized key: "extra"' },
    ]);
    expect(formatCapaError(error)).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid PlanActionsEvent
        - actions[0].owner: Invalid input: expected object, received undefined [invalid_type]
        - extensions["acme.risk"]: Unknown namespace [custom]
        - (root): Unrecognized key: "extra" [unrecognized_keys]"
    `);
  });

  it('an invalid policy error leads with its own code', () => {
    const error = new CapaValidationError(
      'SeverityPolicy',
      [{ path: ['timeZone'], code: 'custom', message: 'Must be an IANA time zone such as Europe/London' }],
      { code: 'CAPA_INVALID_POLICY' },
    );
    expect(formatCapaError(error)).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - timeZone: Must be an IANA time zone such as Europe/London [custom]"
    `);
  });

  it('a transition error: event, state and every unmet requirement', () => {
    const error = new CapaTransitionError('verifying', 'CLOSE', [
      { code: 'closure.evidence', message: 'Closing needs closure evidence.' },
      { code: 'review.effective', message: 'Closing needs an effective effectiveness review.' },
    ]);
    expect(formatCapaError(error)).toMatchInlineSnapshot(`
      "CAPA_TRANSITION_REFUSED: CLOSE refused in state "verifying"
        - Closing needs closure evidence. [closure.evidence]
        - Closing needs an effective effectiveness review. [review.effective]"
    `);
  });

  it('a generic CapaError: code and message', () => {
    expect(formatCapaError(new CapaError('CAPA_UNSUPPORTED_SNAPSHOT', 'Snapshot version 9 is newer than machine version 1'))).toMatchInlineSnapshot(`"CAPA_UNSUPPORTED_SNAPSHOT: Snapshot version 9 is newer than machine version 1"`);
  });

  it('anything else: its message, or its string form', () => {
    expect(formatCapaError(new TypeError('boom'))).toBe('boom');
    expect(formatCapaError('plain string')).toBe('plain string');
    expect(formatCapaError(42)).toBe('42');
    expect(formatCapaError(undefined)).toBe('undefined');
    // A capa error from another copy of the library keeps its code in front.
    expect(formatCapaError(Object.assign(new Error('Invalid Person'), { code: 'CAPA_VALIDATION' }))).toBe(
      'CAPA_VALIDATION: Invalid Person',
    );
  });
});

describe('the error table of docs/register.md', () => {
  it('lists every code of CAPA_ERROR_CODES once, and no other', async () => {
    const { readFileSync } = await import('node:fs');
    const page = readFileSync(new URL('../../docs/register.md', import.meta.url), 'utf8');
    const table = page.slice(page.indexOf('## Errors'), page.indexOf('## Segregation of duties'));
    const listed = [...table.matchAll(/^\| `(CAPA_[A-Z_]+)` \|/gm)].map((match) => match[1]);
    expect([...listed].sort()).toEqual(Object.values(CAPA_ERROR_CODES).sort());
  });
});
