// Go's golang.org/x/mod/sumdb/note tests (test/fixtures/signed-note/SOURCE.md), repeated on
// capa-kit's signed notes. Keys, text and signatures are read from note_test.go itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AmbiguousKeyError,
  CheckpointSignerError,
  InvalidNoteSignatureError,
  MalformedKeyError,
  MalformedNoteError,
  UnverifiedNoteError,
} from '../../../src/errors/proof-errors.js';
import { signCheckpoint } from '../../../src/proofs/checkpoint/checkpoint.js';
import { generateNoteKeys, signerFromNoteKey } from '../../../src/proofs/checkpoint/signer.js';
import { emptyRoot } from '../../../src/proofs/merkle/hash.js';
import { webCryptoVerify } from '../../../src/proofs/note/ed25519.js';
import { parseVerifierKey, parseSignerKeyFields } from '../../../src/proofs/note/keys.js';
import { MAX_NOTE_SIGNATURES, type NoteSigner, openNote, parseNote, signNote } from '../../../src/proofs/note/note.js';

const go = readFileSync(new URL('../../fixtures/signed-note/note_test.go', import.meta.url), 'utf8');
/** The value of the first `name := "…"` (a Go interpreted string literal) after `after`. */
function goString(name: string, after = ''): string {
  const from = go.indexOf(after);
  const match = new RegExp(`\\b${name} := ("(?:[^"\\\\]|\\\\.)*")`).exec(go.slice(from));
  if (match === null) throw new Error(`${name} is not in note_test.go`);
  return JSON.parse(match[1]!) as string;
}
/** The raw string `name := \`…\`` after `after`. */
function goRaw(name: string, after: string): string {
  const from = go.indexOf(after);
  const match = new RegExp(`\\b${name} := \`([^\`]*)\``).exec(go.slice(from));
  if (match === null) throw new Error(`${name} is not in note_test.go`);
  return match[1]!;
}

const peterKey = goString('vkey', 'func TestNewVerifier');
const peterSigner = goString('skey', 'func TestNewSigner');
const enochKey = goString('enochKey', 'func TestOpen');
const text = goRaw('text', 'func TestOpen');
const peterSig = goString('peterSig', 'func TestOpen');
const enochSig = goString('enochSig', 'func TestOpen');
const signedWant = goRaw('want', 'func TestSign');

// Go slices strings by bytes; "—" is three bytes of UTF-8.
const bytesOf = (s: string) => Buffer.from(s, 'utf8');
const cut = (s: string, at: number, insert: string) => Buffer.concat([bytesOf(s).subarray(0, at), bytesOf(insert), bytesOf(s).subarray(at)]).toString('utf8');

async function refused(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('the vectors are read from note_test.go', () => {
  it('has the keys, the text and both signatures', () => {
    expect(peterKey).toBe('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
    expect(peterSigner.startsWith('PRIVATE+KEY+PeterNeumann+c74f20a3+')).toBe(true);
    expect(enochKey.startsWith('EnochRoot+af0cfe78+')).toBe(true);
    expect(text.split('\n')).toHaveLength(3);
    expect(peterSig.startsWith('\u2014 PeterNeumann ')).toBe(true);
    expect(signedWant).toBe(`${text}\n${peterSig}`);
  });
});

describe('verifier keys (TestNewVerifier)', () => {
  it('reads PeterNeumann\'s key', () => {
    const key = parseVerifierKey(peterKey);
    expect(key.name).toBe('PeterNeumann');
    expect(key.keyId).toBe(0xc74f20a3);
    expect(key.publicKey).toHaveLength(32);
  });

  it('refuses every proper substring and every one-byte increment', () => {
    let checked = 0;
    for (let i = 0; i <= peterKey.length; i++) {
      for (let j = i + 1; j <= peterKey.length; j++) {
        if (i === 0 && j === peterKey.length) continue;
        expect(() => parseVerifierKey(peterKey.slice(i, j))).toThrow(MalformedKeyError);
        checked += 1;
      }
    }
    for (let i = 0; i < peterKey.length; i++) {
      const mangled = peterKey.slice(0, i) + String.fromCharCode(peterKey.charCodeAt(i) + 1) + peterKey.slice(i + 1);
      expect(() => parseVerifierKey(mangled)).toThrow(MalformedKeyError);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('refuses a key of the wrong length and an unknown algorithm, each with a matching key ID', () => {
    const [wrongLength, unknownAlgorithm] = [...go.matchAll(/badKey\("([^"]+)"\)/g)].map((match) => match[1]!);
    const problemOf = (key: string) => {
      try {
        parseVerifierKey(key);
      } catch (error) {
        return (error as MalformedKeyError).problem;
      }
      return 'accepted';
    };
    expect(problemOf(wrongLength!)).toBe('format');
    expect(problemOf(unknownAlgorithm!)).toBe('algorithm');
  });
});

describe('signer keys (TestNewSigner)', () => {
  it('reads PeterNeumann\'s signer key, whose public key is his verifier key\'s', async () => {
    const signer = await signerFromNoteKey(peterSigner);
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(signer.publicKey).toEqual(parseVerifierKey(peterKey).publicKey);
  });

  it('refuses every proper substring and every one-byte increment', async () => {
    let checked = 0;
    for (let i = 0; i <= peterSigner.length; i++) {
      for (let j = i + 1; j <= peterSigner.length; j++) {
        if (i === 0 && j === peterSigner.length) continue;
        expect(await refused(() => signerFromNoteKey(peterSigner.slice(i, j)))).toBeInstanceOf(MalformedKeyError);
        checked += 1;
      }
    }
    for (let i = 0; i < peterSigner.length; i++) {
      const mangled = peterSigner.slice(0, i) + String.fromCharCode(peterSigner.charCodeAt(i) + 1) + peterSigner.slice(i + 1);
      expect(await refused(() => signerFromNoteKey(mangled))).toBeInstanceOf(MalformedKeyError);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('never puts the private key in a message', async () => {
    const seed = peterSigner.split('+').slice(4).join('+');
    for (const mangled of [peterSigner.replace('c74f20a3', 'c74f20a4'), peterSigner.replace('PRIVATE', 'PRIVATF'), `${peterSigner}A`]) {
      const error = (await refused(() => signerFromNoteKey(mangled))) as Error;
      expect(error.message).not.toContain(seed);
      expect(error.message).not.toContain(seed.slice(0, 12));
    }
    expect(() => parseSignerKeyFields(peterSigner.replace('+AYEK', '+ZYEK'))).toThrow(/not Ed25519/);
  });
});

describe('signing (TestSign)', () => {
  it('signs the text exactly as Go does', async () => {
    const signer = await signerFromNoteKey(peterSigner);
    expect(await signNote(text, [signer])).toBe(signedWant);
  });

  it('refuses a text without its final newline, and a signer with a bad name', async () => {
    const signer = await signerFromNoteKey(peterSigner);
    expect(await refused(() => signNote('abc', [signer]))).toMatchObject({ code: 'CAPA_NOTE_MALFORMED', rule: 'text' });
    const badName: NoteSigner = { name: 'bad name', keyId: signer.keyId, sign: (message) => signer.sign(message) };
    expect(await refused(() => signNote(text, [badName]))).toBeInstanceOf(MalformedNoteError);
    expect(await refused(() => signNote(text, []))).toBeInstanceOf(MalformedNoteError);
  });

  it('a failing signer\'s error comes back: as it is from signNote, as a CheckpointSignerError from signCheckpoint', async () => {
    const signer = await signerFromNoteKey(peterSigner);
    const surprise = new Error('surprise!');
    const failing = { ...signer, sign: () => Promise.reject(surprise) };
    expect(await refused(() => signNote(text, [failing]))).toBe(surprise);
    const checkpoint = { origin: 'PeterNeumann', size: 0, root: emptyRoot(), tips: { count: 0, root: emptyRoot() } };
    const error = await refused(() => signCheckpoint(checkpoint, failing));
    expect(error).toBeInstanceOf(CheckpointSignerError);
    expect((error as Error).message).toContain('surprise!');
  });
});

describe('generated keys (TestGenerateKey)', () => {
  it('are self-consistent: the signer\'s signatures verify under the verifier key, and a changed one does not', async () => {
    const { signerKey, verifierKey } = await generateNoteKeys('EnochRoot');
    const signer = await signerFromNoteKey(signerKey);
    const key = parseVerifierKey(verifierKey);
    expect(signer.keyId).toBe(key.keyId);
    const message = new TextEncoder().encode('hi');
    const signature = await signer.sign(message);
    expect(await webCryptoVerify(key.publicKey, message, signature)).toBe(true);
    signature[0]! ^= 1;
    expect(await webCryptoVerify(key.publicKey, message, signature)).toBe(false);
    signature[0]! ^= 1;
    expect(await webCryptoVerify(key.publicKey, new TextEncoder().encode('hj'), signature)).toBe(false);
  });
});

describe('opening notes (TestOpen, TestVerifierList)', () => {
  const note = `${text}\n${peterSig}${enochSig}`;
  const peter = { name: 'PeterNeumann', keyId: 0xc74f20a3 };
  const enoch = { name: 'EnochRoot', keyId: 0xaf0cfe78 };

  it('one signature verified, one not', async () => {
    const opened = await openNote(note, [peterKey]);
    expect(opened.text).toBe(text);
    expect(opened.verified).toMatchObject([peter]);
    expect(opened.unverified).toMatchObject([enoch]);
  });

  it('both verified', async () => {
    const opened = await openNote(note, [peterKey, enochKey]);
    expect(opened.verified).toMatchObject([peter, enoch]);
    expect(opened.unverified).toEqual([]);
  });

  it('both unverified: an UnverifiedNoteError listing them', async () => {
    const error = await refused(() => openNote(note, []));
    expect(error).toBeInstanceOf(UnverifiedNoteError);
    expect((error as UnverifiedNoteError).unverified).toEqual([peter, enoch]);
    expect((error as Error).message).toBe('The note has no signature by a known key (it is signed by PeterNeumann+c74f20a3, EnochRoot+af0cfe78).');
  });

  it('a key listed twice that a signature names is ambiguous; unused, it is not', async () => {
    const error = await refused(() => openNote(`${text}\n${enochSig}`, [enochKey, peterKey, enochKey]));
    expect(error).toBeInstanceOf(AmbiguousKeyError);
    expect((error as Error).message).toMatch(/^Ambiguous key EnochRoot\+af0cfe78/);
    expect((await openNote(`${text}\n${peterSig}`, [enochKey, peterKey, enochKey])).verified).toMatchObject([peter]);
  });

  it('more than 100 signatures is malformed, known or not', async () => {
    expect(MAX_NOTE_SIGNATURES).toBe(100);
    for (const keys of [[peterKey], []]) {
      expect(await refused(() => openNote(`${text}\n${peterSig.repeat(101)}`, keys))).toMatchObject({ code: 'CAPA_NOTE_MALFORMED', rule: 'too-many-signatures' });
    }
    expect((await openNote(`${text}\n${peterSig.repeat(100)}`, [peterKey])).verified).toHaveLength(1);
  });

  it('a changed signature by a known key refuses the whole note', async () => {
    const error = await refused(() => openNote(`${text}\n${cut(peterSig, 60, 'ABCD')}`, [peterKey]));
    expect(error).toBeInstanceOf(InvalidNoteSignatureError);
    expect((error as Error).message).toMatch(/^Invalid signature for key PeterNeumann\+c74f20a3/);
  });

  it('repeated signatures: a known key\'s checked once, identical unknown lines listed once', async () => {
    const repeated = `${text}\n${peterSig}${peterSig}${enochSig}${enochSig}${cut(enochSig, 60, 'ABCD')}`;
    const opened = await openNote(repeated, [peterKey]);
    expect(opened.verified).toMatchObject([peter]);
    expect(opened.unverified.map((sig) => sig.base64)).toEqual([
      'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=',
      'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5nABCD2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=',
    ]);
  });

  it('refuses Go\'s malformed messages', async () => {
    const bad: (string | Uint8Array)[] = [
      text,
      `${text}\n`,
      `${text}\n${peterSig.slice(0, -1)}`,
      `\u0001${text}\n${peterSig}`,
      Buffer.concat([Buffer.from([0xff]), bytesOf(`${text}\n${peterSig}`)]),
      `${text}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${text}\n${peterSig}Unexpected line.\n`,
    ];
    const rules: string[] = [];
    for (const message of bad) {
      const error = await refused(() => openNote(message, [peterKey]));
      expect(error).toBeInstanceOf(MalformedNoteError);
      rules.push((error as MalformedNoteError).rule);
    }
    expect(rules).toEqual(['no-signature-block', 'no-signature-block', 'no-signature-block', 'control-character', 'utf8', 'no-signature-block', 'signature-line']);
  });

  it('is stricter than Go on base64: only the canonical encoding', () => {
    // "…nAM=" and "…nAN=" decode to the same bytes in Go's (non-strict) decoder.
    expect(() => parseNote(`${text}\n${peterSig.replace('nAM=', 'nAN=')}`)).toThrow(MalformedNoteError);
  });
});
