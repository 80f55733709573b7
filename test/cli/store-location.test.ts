import { describe, expect, it } from 'vitest';
import { CliExit } from '../../src/cli/io.js';
import { describeLocation, parseStoreLocation } from '../../src/cli/store-location.js';

// `--store` is parsed before anything is opened: the forms the CLI knows, and nothing else.
const CWD = '/work/acme';

describe('parseStoreLocation', () => {
  it.each([
    ['capa-data', { kind: 'file', directory: '/work/acme/capa-data' }],
    ['/srv/capa', { kind: 'file', directory: '/srv/capa' }],
    ['./name:with-colon', { kind: 'file', directory: '/work/acme/name:with-colon' }],
    ['../up', { kind: 'file', directory: '/work/up' }],
    ['sqlite:capa.db', { kind: 'sqlite', path: '/work/acme/capa.db' }],
    ['sqlite:/var/lib/capa.db', { kind: 'sqlite', path: '/var/lib/capa.db' }],
    ['SQLite:capa.db', { kind: 'sqlite', path: '/work/acme/capa.db' }],
    ['postgres://capa:pw@db:5432/capa', { kind: 'postgres', url: 'postgres://capa:pw@db:5432/capa', server: 'db:5432/capa' }],
    ['postgresql://db/capa?sslmode=require', { kind: 'postgres', url: 'postgresql://db/capa?sslmode=require', server: 'db/capa' }],
  ])('%s', (value, expected) => {
    expect(parseStoreLocation(value, CWD, 'linux')).toEqual(expected);
  });

  it.each(['sqllite:x.db', 'postgress://db/capa', 'file:capa', 'http://db/capa', 'c:capa', 'C:\\capa', '', ' ', ' capa', 'sqlite:', 'sqlite://x.db', 'postgres:db'])(
    'refuses %j with exit 2, listing the forms',
    (value) => {
      let thrown: unknown;
      try {
        parseStoreLocation(value, CWD, 'linux');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CliExit);
      expect(thrown).toMatchObject({ exitCode: 2, message: expect.stringMatching(/Expected a file-store directory \(a path\), sqlite:PATH, or postgres:\/\//) });
    },
  );

  it('a Windows drive is a path on Windows only', () => {
    expect(parseStoreLocation('C:\\capa', 'D:\\work', 'win32')).toEqual({ kind: 'file', directory: 'C:\\capa' });
    expect(parseStoreLocation('d:/capa', 'C:\\work', 'win32')).toEqual({ kind: 'file', directory: 'd:\\capa' });
    expect(() => parseStoreLocation('sqllite:x.db', 'C:\\work', 'win32')).toThrow(/unknown scheme "sqllite:"/);
  });

  it('never repeats a password, in a refusal or a description', () => {
    expect(() => parseStoreLocation('postgress://capa:s3cret@db/capa', CWD, 'linux')).toThrow(/"postgress:\/\/capa:\*\*\*@db\/capa"/);
    expect(() => parseStoreLocation('postgres://capa:s3cret@db:bad/capa', CWD, 'linux')).toThrow(/"postgres:\/\/capa:\*\*\*@db:bad\/capa": not a valid URL/);
    expect(describeLocation(parseStoreLocation('postgres://capa:s3cret@db/capa', CWD, 'linux'))).toBe('PostgreSQL db/capa');
  });
});
