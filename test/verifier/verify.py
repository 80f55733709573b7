#!/usr/bin/env python3
"""An independent verifier of capa-kit checkpoints and proofs, written from
docs/verification.md alone, with nothing but Python 3's standard library.

    python3 verify.py BUNDLE.json

BUNDLE.json (a test harness format; the proof objects are those of the page):

    {
      "publicKeys": ["<name>+<key ID>+<base64>", ...],   verifier keys to trust
      "origin": "acme.example/capa/acme",                 optional: the origin expected
      "checkpoint": "<signed note>",
      "entries": [<entry proof>, ...],                    optional
      "tips": [<record-tip proof>, ...],                  optional
      "consistency": [{"older": "<signed note>", "proof": <consistency proof>}, ...]  optional
    }

Exit 0 and a JSON summary on stdout when everything holds; exit 1 and "FAIL: <why>" on
stderr when anything does not; exit 2 when the bundle cannot be read.
"""

import base64
import hashlib
import json
import sys


class Fail(Exception):
    pass


# --- Ed25519 verification, after RFC 8032 section 6 (its Python reference code; Code
# Components of RFC 8032 are under the Simplified BSD License of the IETF Trust). Slow,
# not constant time: fine for checking public signatures in a test.

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a, b):
    e1, e2 = (a[1] - a[0]) * (b[1] - b[0]) % P, (a[1] + a[0]) * (b[1] + b[0]) % P
    c, d = 2 * a[3] * b[3] * D % P, 2 * a[2] * b[2] % P
    e, f, g, h = e2 - e1, d - c, d + c, e2 + e1
    return (e * f, g * h, f * g, e * h)


def _mul(s, point):
    q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            q = _add(q, point)
        point = _add(point, point)
        s >>= 1
    return q


def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _recover_x(y, sign):
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


_GY = 4 * pow(5, P - 2, P) % P
_GX = _recover_x(_GY, 0)
G = (_GX, _GY, 1, _GX * _GY % P)


def _decompress(s):
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


def ed25519_verify(public, message, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % L
    return _equal(_mul(s, G), _add(r, _mul(h, a)))


# --- Bytes ("Notation")

MAX_SAFE = 2**53 - 1


def b64(text, what):
    """Canonical, padded standard base64, or Fail."""
    if not isinstance(text, str):
        raise Fail(f"{what}: not a string")
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        raise Fail(f"{what}: not base64")
    if base64.b64encode(raw).decode("ascii") != text:
        raise Fail(f"{what}: not canonical base64")
    return raw


def b64_hash(text, what):
    raw = b64(text, what)
    if len(raw) != 32:
        raise Fail(f"{what}: not 32 bytes")
    return raw


def decimal(text, what):
    if not text or not text.isascii() or not text.isdigit() or (len(text) > 1 and text[0] == "0"):
        raise Fail(f"{what}: not a decimal without leading zeros")
    value = int(text)
    if value > MAX_SAFE:
        raise Fail(f"{what}: larger than 2^53 - 1")
    return value


def uint64be(n):
    return n.to_bytes(8, "big")


# --- Trees ("The entry tree", "The record-tip tree")


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(data):
    return sha256(b"\x00" + data)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


EMPTY_ROOT = sha256(b"")


def entry_leaf(s, entry_hash):
    return uint64be(s) + entry_hash


def tip_leaf(record_id, s, entry_hash):
    rid = record_id.encode("utf-8")
    if not 1 <= len(rid) <= 255:
        raise Fail("record id: 1 to 255 bytes of UTF-8")
    return bytes([len(rid)]) + rid + uint64be(s) + entry_hash


# --- Proofs ("Inclusion", "Consistency")


def path_sides(fn, sn, length, what):
    """For each path hash, whether it is the left sibling; the walk of both algorithms."""
    sides = []
    for _ in range(length):
        if sn == 0:
            raise Fail(f"{what}: path too long")
        left = fn % 2 == 1 or fn == sn
        sides.append(left)
        if left and fn % 2 == 0:
            while fn % 2 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Fail(f"{what}: path too short")
    return sides


def verify_inclusion(leaf, m, n, path, root, what):
    if m >= n:
        raise Fail(f"{what}: leaf {m} is not in a tree of {n}")
    r = leaf
    for p, left in zip(path, path_sides(m, n - 1, len(path), what)):
        r = node_hash(p, r) if left else node_hash(r, p)
    if r != root:
        raise Fail(f"{what}: does not lead to the root")


def is_power_of_two(x):
    return x > 0 and x & (x - 1) == 0


def verify_consistency(m, n, first, second, path, what):
    if m > n:
        raise Fail(f"{what}: the older tree is larger")
    if m == n:
        if path or first != second:
            raise Fail(f"{what}: equal sizes need equal roots and no path")
        return
    if m == 0:
        if path or first != EMPTY_ROOT:
            raise Fail(f"{what}: from the empty tree, no path and the empty root")
        return
    if not path:
        raise Fail(f"{what}: empty path")
    if is_power_of_two(m):
        path = [first] + path
    fn, sn = m - 1, n - 1
    while fn % 2 == 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c, left in zip(path[1:], path_sides(fn, sn, len(path) - 1, what)):
        if left:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
        else:
            sr = node_hash(sr, c)
    if fr != first or sr != second:
        raise Fail(f"{what}: the older tree is not a prefix of the newer")


# --- Signed notes ("The signed note")

SPACES = set("\t\n\v\f\r \u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000") | {chr(c) for c in range(0x2000, 0x200B)}


def valid_name(name):
    return name != "" and "+" not in name and not any(ch in SPACES for ch in name)


def key_id(name, public):
    return int.from_bytes(sha256(name.encode("utf-8") + b"\n" + b"\x01" + public)[:4], "big")


def parse_verifier_key(text):
    parts = text.split("+", 2)
    if len(parts) != 3:
        raise Fail("verifier key: not <name>+<key ID>+<base64>")
    name, hex_id, key64 = parts
    if not valid_name(name) or len(hex_id) != 8 or any(c not in "0123456789abcdef" for c in hex_id):
        raise Fail("verifier key: bad name or key ID")
    key = b64(key64, "verifier key")
    if len(key) != 33 or key[0] != 0x01:
        raise Fail("verifier key: not an Ed25519 key (0x01 || 32 bytes)")
    if int(hex_id, 16) != key_id(name, key[1:]):
        raise Fail("verifier key: the key ID does not match")
    return (name, int(hex_id, 16)), key[1:]


def open_note(note, trusted):
    """The note's text once a trusted signature verifies, or Fail."""
    try:
        raw = note.encode("utf-8")  # a str from JSON; a lone surrogate fails here
    except UnicodeEncodeError:
        raise Fail("note: not UTF-8")
    if any(ord(ch) < 0x20 and ch != "\n" for ch in note):
        raise Fail("note: a control character")
    split = note.rfind("\n\n")
    if split < 0:
        raise Fail("note: no signature block")
    text, block = note[: split + 1], note[split + 2 :]
    if block == "" or not block.endswith("\n"):
        raise Fail("note: the signature block must end in a newline")
    lines = block[:-1].split("\n")
    if len(lines) > 100:
        raise Fail("note: more than 100 signatures")
    verified, seen = [], set()
    for line in lines:
        if not line.startswith("\u2014 "):
            raise Fail("note: a line that is not a signature")
        name, _, sig64 = line[2:].partition(" ")
        sig = b64(sig64, "signature") if sig64 else None
        if not valid_name(name) or sig is None or len(sig) < 5:
            raise Fail("note: a malformed signature line")
        ident = (name, int.from_bytes(sig[:4], "big"))
        matches = trusted.get(ident, [])
        if not matches:
            continue  # unknown key: ignored
        if len(matches) > 1:
            raise Fail(f"note: ambiguous key {name}")
        if ident in seen:
            continue
        seen.add(ident)
        if not ed25519_verify(matches[0], text.encode("utf-8"), sig[4:]):
            raise Fail(f"note: invalid signature by {name}")
        verified.append(name)
    if not verified:
        raise Fail("note: no signature by a trusted key")
    return text, verified


# --- Checkpoints ("The checkpoint")

TIPS = "capa-kit/v1 tips "


def parse_checkpoint(text):
    if not text.endswith("\n"):
        raise Fail("checkpoint: no final newline")
    lines = text[:-1].split("\n")
    if len(lines) != 4:
        raise Fail("checkpoint: not 4 lines")
    origin, size_line, root_line, tips_line = lines
    if not valid_name(origin):
        raise Fail("checkpoint: bad origin")
    size = decimal(size_line, "checkpoint size")
    root = b64_hash(root_line, "checkpoint root")
    if not tips_line.startswith(TIPS):
        raise Fail("checkpoint: no capa-kit/v1 record-tip line")
    fields = tips_line[len(TIPS) :].split(" ")
    if len(fields) != 2:
        raise Fail("checkpoint: bad record-tip line")
    count = decimal(fields[0], "tip count")
    tips_root = b64_hash(fields[1], "tip root")
    if count > size or (count == 0) != (size == 0):
        raise Fail("checkpoint: tip count and size do not go together")
    if size == 0 and (root != EMPTY_ROOT or tips_root != EMPTY_ROOT):
        raise Fail("checkpoint: an empty tree has the empty root")
    return {"origin": origin, "size": size, "root": root, "tips": count, "tipsRoot": tips_root}


def verified_checkpoint(note, trusted, origin):
    text, signers = open_note(note, trusted)
    checkpoint = parse_checkpoint(text)
    if origin is not None and checkpoint["origin"] != origin:
        raise Fail(f"checkpoint: origin {checkpoint['origin']}, not {origin}")
    checkpoint["signedBy"] = signers
    return checkpoint


# --- Proofs as JSON ("Proofs as JSON")


def shape(obj, keys, what):
    if not isinstance(obj, dict) or sorted(obj) != sorted(keys):
        raise Fail(f"{what}: members must be exactly {', '.join(keys)}")


def integer(value, low, what):
    if type(value) is not int or value < low or value > MAX_SAFE:
        raise Fail(f"{what}: not an integer from {low}")
    return value


def entry_hash_of(value, what):
    if not isinstance(value, str) or len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise Fail(f"{what}: entryHash is not 64 lowercase hex digits")
    return bytes.fromhex(value)


def path_of(value, what):
    if not isinstance(value, list):
        raise Fail(f"{what}: path is not a list")
    return [b64_hash(item, f"{what} path[{i}]") for i, item in enumerate(value)]


def check_entry(checkpoint, proof, what):
    shape(proof, ["tenantSequence", "entryHash", "path"], what)
    s = integer(proof["tenantSequence"], 1, what)
    if s > checkpoint["size"]:
        raise Fail(f"{what}: after the checkpoint")
    leaf = leaf_hash(entry_leaf(s, entry_hash_of(proof["entryHash"], what)))
    verify_inclusion(leaf, s - 1, checkpoint["size"], path_of(proof["path"], what), checkpoint["root"], what)


def check_tip(checkpoint, proof, what):
    shape(proof, ["recordId", "tenantSequence", "entryHash", "index", "path"], what)
    if not isinstance(proof["recordId"], str) or proof["recordId"] == "":
        raise Fail(f"{what}: recordId")
    s = integer(proof["tenantSequence"], 1, what)
    if s > checkpoint["size"]:
        raise Fail(f"{what}: after the checkpoint")
    leaf = leaf_hash(tip_leaf(proof["recordId"], s, entry_hash_of(proof["entryHash"], what)))
    index = integer(proof["index"], 0, what)
    verify_inclusion(leaf, index, checkpoint["tips"], path_of(proof["path"], what), checkpoint["tipsRoot"], what)


def check_consistency(older, newer, proof, what):
    if older["origin"] != newer["origin"]:
        raise Fail(f"{what}: two origins")
    shape(proof, ["path"], what)
    verify_consistency(older["size"], newer["size"], older["root"], newer["root"], path_of(proof["path"], what), what)


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as handle:
            bundle = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"cannot read {argv[1]}: {error}", file=sys.stderr)
        return 2
    try:
        trusted = {}
        for text in bundle["publicKeys"]:
            ident, public = parse_verifier_key(text)
            trusted.setdefault(ident, []).append(public)
        origin = bundle.get("origin")
        checkpoint = verified_checkpoint(bundle["checkpoint"], trusted, origin)
        for i, proof in enumerate(bundle.get("entries", [])):
            check_entry(checkpoint, proof, f"entries[{i}]")
        for i, proof in enumerate(bundle.get("tips", [])):
            check_tip(checkpoint, proof, f"tips[{i}]")
        for i, item in enumerate(bundle.get("consistency", [])):
            older = verified_checkpoint(item["older"], trusted, origin)
            check_consistency(older, checkpoint, item["proof"], f"consistency[{i}]")
    except Fail as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        return 1
    except (KeyError, TypeError, AttributeError) as error:
        print(f"FAIL: malformed bundle ({error!r})", file=sys.stderr)
        return 1
    summary = {
        "ok": True,
        "origin": checkpoint["origin"],
        "size": checkpoint["size"],
        "tips": checkpoint["tips"],
        "signedBy": checkpoint["signedBy"],
        "entries": len(bundle.get("entries", [])),
        "tipProofs": len(bundle.get("tips", [])),
        "consistency": len(bundle.get("consistency", [])),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
