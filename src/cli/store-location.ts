import { posix, win32 } from 'node:path';
import process from 'node:process';
import { EXIT } from './exit-codes.js';
import { CliExit } from './io.js';

/** Where `--store` points: a file store's directory, a SQLite file, or a PostgreSQL database. */
export type StoreLocation =
  | { readonly kind: 'file'; readonly directory: string }
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly server: string };

/** The forms `--store` takes, for `--help` and for every refusal. */
export const STORE_FORMS = 'a file-store directory (a path), sqlite:PATH, or postgres://USER:PASSWORD@HOST/DATABASE (postgresql:// too)';

/** Anything that starts like a URL scheme (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`), then `:`. */
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** The value as messages show it: a password in a URL is masked. */
const redact = (value: string) => value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*):[^@/]*@/i, '$1:***@');

const refuse = (value: string, why: string) =>
  new CliExit(`--store ${JSON.stringify(redact(value))}: ${why}. Expected ${STORE_FORMS}.`, EXIT.unusable);

/**
 * Parses `--store` strictly, before anything is opened. Known forms: `sqlite:PATH`,
 * `postgres://…` or `postgresql://…` (schemes in any case), and a path, the directory of a
 * file store. A value that starts like a URL scheme (`sqllite:x.db`, `postgress://…`,
 * `file:…`) is refused rather than taken for a directory of that name; on Windows a drive
 * (`C:\capa`, `C:/capa`) is a path. A directory whose name really starts with a word and a
 * colon is written `./name:with-colon`. An empty value (an unset variable) is refused.
 */
export function parseStoreLocation(value: string, cwd: string, platform: NodeJS.Platform = process.platform): StoreLocation {
  if (value.trim() === '') throw refuse(value, 'empty (is a variable unset?)');
  if (value !== value.trim()) throw refuse(value, 'it starts or ends with a space');
  const path = platform === 'win32' ? win32 : posix;
  if (platform === 'win32' && /^[a-z]:[\\/]/i.test(value)) return { kind: 'file', directory: path.resolve(cwd, value) };
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'file', directory: path.resolve(cwd, value) };
  const rest = value.slice(scheme.length + 1);
  if (scheme === 'sqlite') {
    if (rest === '') throw refuse(value, 'sqlite: needs a path (sqlite:capa.db, sqlite:/var/lib/capa/capa.db)');
    if (rest.startsWith('//')) throw refuse(value, 'write sqlite:PATH, not a URL with //: sqlite:/absolute/path or sqlite:relative/path');
    return { kind: 'sqlite', path: path.resolve(cwd, rest) };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    if (!rest.startsWith('//')) throw refuse(value, `a PostgreSQL URL starts with ${scheme}://`);
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw refuse(value, 'not a valid URL (a special character in the password must be URL-encoded)');
    }
    return { kind: 'postgres', url: value, server: `${url.host}${url.pathname}` };
  }
  throw refuse(value, `unknown scheme "${scheme}:" (a directory whose name has a colon is written ./NAME)`);
}

/** How a location is named in messages: never with a password. */
export function describeLocation(location: StoreLocation): string {
  if (location.kind === 'file') return `file store ${location.directory}`;
  if (location.kind === 'sqlite') return `SQLite ${location.path}`;
  return `PostgreSQL ${location.server}`;
}
