import { createPrivateKey, createPublicKey, generateKeyPairSync, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CheckpointSignerError, MalformedKeyError } from '../../../src/errors/proof-errors.js';
import { fromBase64Url, toBase64 } from '../../../src/proofs/bytes.js';
import { signCheckpoint, verifyCheckpoint } from '../../../src/proofs/checkpoint/checkpoint.js';
import {
  createCheckpointSigner,
  nodeCryptoSigner,
  signerFromKeyFile,
  signerFromNoteKey,
  signerFromPkcs8Pem,
  verifierKeyOf,
  webCryptoSigner,
} from '../../../src/proofs/checkpoint/signer.js';
import { emptyRoot } from '../../../src/proofs/merkle/hash.js';
import { pkcs8OfSeed, webCryptoVerify } from '../../../src/proofs/note/ed25519.js';
import { parseSignerKeyFields, publicKeyFromPem } from '../../../src/proofs/note/keys.js';

const PETER_SIGNER = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const message = new TextEncoder().encode('acme.example/capa/acme\n0\n');
const pem = (label: string, der: Uint8Array) => `-----BEGIN ${label}-----\n${toBase64(der).replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`;
const rawPublicKey = (key: ReturnType<typeof createPublicKey>) => fromBase64Url((key.export({ format: 'jwk' }) as { x: string }).x)!;

async function refusal(run: () => Promise<unknown>): Promise<MalformedKeyError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedKeyError);
    return error as MalformedKeyError;
  }
  throw new Error('expected a MalformedKeyError');
}

describe('signers from key material', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('PKCS#8 PEM (as openssl and Node write it): signatures node:crypto verifies', async () => {
    const signer = await signerFromPkcs8Pem(privatePem, 'acme.example/capa');
    expect(signer.publicKey).toEqual(rawPublicKey(publicKey));
    const signature = await signer.sign(message);
    expect(nodeVerify(null, message, publicKey, signature)).toBe(true);
    // The SPKI PEM of the same key, named alike, has the same key ID.
    expect(publicKeyFromPem(publicPem, 'acme.example/capa').keyId).toBe(signer.keyId);
  });

  it('Go\'s PeterNeumann seed in a PKCS#8 PEM is PeterNeumann\'s key (key ID c74f20a3)', async () => {
    const { seed } = parseSignerKeyFields(PETER_SIGNER);
    const signer = await signerFromPkcs8Pem(pem('PRIVATE KEY', pkcs8OfSeed(seed)), 'PeterNeumann');
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(signer.publicKey).toEqual((await signerFromNoteKey(PETER_SIGNER)).publicKey);
  });

  it('PKCS#8 version 2, with the public key: accepted when it is the key\'s, refused otherwise', async () => {
    const { seed } = parseSignerKeyFields(PETER_SIGNER);
    const peter = await signerFromNoteKey(PETER_SIGNER);
    const v2 = (pub: Uint8Array) =>
      new Uint8Array([0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20, ...seed, 0x81, 0x21, 0x00, ...pub]);
    expect((await signerFromPkcs8Pem(pem('PRIVATE KEY', v2(peter.publicKey)), 'PeterNeumann')).keyId).toBe(0xc74f20a3);
    const other = rawPublicKey(publicKey);
    expect((await refusal(() => signerFromPkcs8Pem(pem('PRIVATE KEY', v2(other)), 'PeterNeumann'))).problem).toBe('format');
  });

  it('refuses an encrypted key, another algorithm, a broken body, and a PEM without a name', async () => {
    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
    expect((await refusal(() => signerFromPkcs8Pem(encrypted, 'acme.example/capa'))).problem).toBe('encrypted');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect((await refusal(() => signerFromPkcs8Pem(rsa, 'acme.example/capa'))).problem).toBe('algorithm');
    expect((await refusal(() => signerFromPkcs8Pem('-----BEGIN PRIVATE KEY-----\n@@@\n-----END PRIVATE KEY-----\n', 'a'))).problem).toBe('format');
    expect((await refusal(() => signerFromPkcs8Pem(publicPem, 'a'))).problem).toBe('format');
    expect((await refusal(() => signerFromKeyFile(privatePem))).problem).toBe('name');
    expect((await refusal(() => signerFromPkcs8Pem(privatePem, 'a b'))).problem).toBe('name');
    expect(() => publicKeyFromPem(privatePem, 'a')).toThrow(MalformedKeyError);
  });

  it('a key file holds either form; a signed-note key keeps its own name', async () => {
    expect((await signerFromKeyFile(privatePem, { name: 'acme.example/capa' })).name).toBe('acme.example/capa');
    expect((await signerFromKeyFile(`${PETER_SIGNER}\n`)).keyId).toBe(0xc74f20a3);
    expect((await signerFromKeyFile(PETER_SIGNER, { name: 'PeterNeumann' })).name).toBe('PeterNeumann');
    expect((await refusal(() => signerFromKeyFile(PETER_SIGNER, { name: 'acme.example/capa' }))).problem).toBe('name');
  });

  it('node:crypto and Web Crypto signers sign alike; each verifies the other\'s', async () => {
    const fromNode = nodeCryptoSigner('acme.example/capa', privateKey);
    const fromPem = await signerFromPkcs8Pem(privatePem, 'acme.example/capa');
    expect(fromNode.keyId).toBe(fromPem.keyId);
    // Ed25519 is deterministic: the same key signs a message the same way.
    expect(await fromNode.sign(message)).toEqual(await fromPem.sign(message));
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const fromWeb = await webCryptoSigner('acme.example/capa', pair);
    const signature = await fromWeb.sign(message);
    expect(await webCryptoVerify(fromWeb.publicKey, message, signature)).toBe(true);
    expect(nodeVerify(null, message, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(fromWeb.publicKey).toString('base64url') }, format: 'jwk' }), signature)).toBe(true);
    expect(() => nodeCryptoSigner('acme.example/capa', publicKey)).toThrow(MalformedKeyError);
    expect(() => nodeCryptoSigner('acme.example/capa', createPrivateKey(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' })))).toThrow(MalformedKeyError);
  });

  it('the verifier key of a signer is what auditors parse', async () => {
    expect(verifierKeyOf(await signerFromNoteKey(PETER_SIGNER))).toBe('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
  });
});

describe('signing a checkpoint checks the signer first', () => {
  const checkpoint = { origin: 'acme.example/capa/acme', size: 0, root: emptyRoot(), tips: { count: 0, root: emptyRoot() } };

  it('a signer whose signature is by another key is refused, and nothing is signed', async () => {
    const peter = await signerFromNoteKey(PETER_SIGNER);
    const other = nodeCryptoSigner('PeterNeumann', generateKeyPairSync('ed25519').privateKey);
    const liar = createCheckpointSigner({ name: 'PeterNeumann', publicKey: peter.publicKey, sign: (m) => other.sign(m) });
    await expect(signCheckpoint(checkpoint, liar)).rejects.toThrow(CheckpointSignerError);
    await expect(signCheckpoint(checkpoint, { ...peter, keyId: peter.keyId ^ 1 })).rejects.toThrow(/key ID/);
    await expect(signCheckpoint(checkpoint, { ...peter, sign: async () => new Uint8Array(63) })).rejects.toThrow(/64-byte/);
  });

  it('any Ed25519 will do: a custom sign and verify (as one would plug @noble/ed25519 in)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const node = nodeCryptoSigner('acme.example/capa', privateKey);
    let verified = 0;
    const verify = async (key: Uint8Array, signed: Uint8Array, signature: Uint8Array) => {
      verified += 1;
      return nodeVerify(null, signed, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key).toString('base64url') }, format: 'jwk' }), signature);
    };
    const custom = createCheckpointSigner({ name: 'acme.example/capa', publicKey: rawPublicKey(publicKey), sign: (m) => node.sign(m) });
    const note = await signCheckpoint(checkpoint, custom, { verify });
    const opened = await verifyCheckpoint(note, [verifierKeyOf(custom)], { verify });
    expect(opened.size).toBe(0);
    expect(verified).toBe(2);
    expect(() => createCheckpointSigner({ name: 'acme.example/capa', publicKey: new Uint8Array(31), sign: node.sign })).toThrow(MalformedKeyError);
  });
});
