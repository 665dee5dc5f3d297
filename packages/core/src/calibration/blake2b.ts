/**
 * Unkeyed BLAKE2b (RFC 7693) with a digest length of 1–64 bytes, used for fold keys (the reference
 * hashes `"{prompt_id}-{seed}"` with BLAKE2b). Node's crypto offers only `blake2b512`, and a shorter
 * BLAKE2b is not a truncation of it (the digest length enters the parameter block), hence this file.
 *
 * Each 64-bit word is held as two 32-bit halves: word i lives at [2i] (low) and [2i + 1] (high).
 */

/** Initialization vector: the SHA-512 IV, as (low, high) halves. */
const IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a, 0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b,
  0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

/** Message schedule: the permutation of the 16 message words used in each of the 12 rounds (round r uses row r mod 10). */
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

const BLOCK_BYTES = 128;
const ROUNDS = 12;

/** {@link SIGMA} flattened, each entry doubled: the index of the message word's low half in `m`. */
const SIGMA_HALVES = Uint8Array.from(SIGMA.flat(), (word) => 2 * word);

// Scratch state, reused across calls (hashing is synchronous): chain value h, work vector v, message block m,
// and the zero-padded final block.
const h = new Uint32Array(16);
const v = new Uint32Array(32);
const m = new Uint32Array(32);
const tail = new Uint8Array(BLOCK_BYTES);

/** 2^32: a sum of 32-bit halves divided by it (truncated) is the carry into the high half. */
const WORD = 0x100000000;

/**
 * The mixing function G (RFC 7693 §3.1) on the words whose low halves are v[a], v[b], v[c], v[d], with
 * the message words whose low halves are m[x], m[y]: the eight halves are held in locals (as unsigned
 * 32-bit numbers), additions carry from the low into the high half, and the rotations by 32, 24, 16
 * and 63 bits exchange bits between the halves.
 */
function mix(a: number, b: number, c: number, d: number, x: number, y: number): void {
  let al = v[a];
  let ah = v[a + 1];
  let bl = v[b];
  let bh = v[b + 1];
  let cl = v[c];
  let ch = v[c + 1];
  let dl = v[d];
  let dh = v[d + 1];
  // a ← a + b + m[x]; d ← (d xor a) >>> 32
  let sum = al + bl + m[x];
  ah = (ah + bh + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
  al = sum >>> 0;
  let lo = (dh ^ ah) >>> 0;
  let hi = (dl ^ al) >>> 0;
  dl = lo;
  dh = hi;
  // c ← c + d; b ← (b xor c) >>> 24
  sum = cl + dl;
  ch = (ch + dh + ((sum / WORD) | 0)) >>> 0;
  cl = sum >>> 0;
  lo = bl ^ cl;
  hi = bh ^ ch;
  bl = ((lo >>> 24) | (hi << 8)) >>> 0;
  bh = ((hi >>> 24) | (lo << 8)) >>> 0;
  // a ← a + b + m[y]; d ← (d xor a) >>> 16
  sum = al + bl + m[y];
  ah = (ah + bh + m[y + 1] + ((sum / WORD) | 0)) >>> 0;
  al = sum >>> 0;
  lo = dl ^ al;
  hi = dh ^ ah;
  dl = ((lo >>> 16) | (hi << 16)) >>> 0;
  dh = ((hi >>> 16) | (lo << 16)) >>> 0;
  // c ← c + d; b ← (b xor c) >>> 63, i.e. rotated left by 1
  sum = cl + dl;
  ch = (ch + dh + ((sum / WORD) | 0)) >>> 0;
  cl = sum >>> 0;
  lo = bl ^ cl;
  hi = bh ^ ch;
  bl = ((lo << 1) | (hi >>> 31)) >>> 0;
  bh = ((hi << 1) | (lo >>> 31)) >>> 0;
  v[a] = al;
  v[a + 1] = ah;
  v[b] = bl;
  v[b + 1] = bh;
  v[c] = cl;
  v[c + 1] = ch;
  v[d] = dl;
  v[d + 1] = dh;
}

/** Compression function F on the block at `offset` of `block`; `counter` = bytes hashed so far, including this block. */
function compress(block: Uint8Array, offset: number, counter: number, last: boolean): void {
  for (let i = 0; i < 32; i++) {
    const at = offset + 4 * i;
    m[i] = block[at] | (block[at + 1] << 8) | (block[at + 2] << 16) | (block[at + 3] << 24);
  }
  v.set(h, 0);
  v.set(IV, 16);
  v[24] ^= counter >>> 0; // t, low 64 bits (counter < 2^53)
  v[25] ^= Math.floor(counter / WORD);
  if (last) {
    v[28] = ~v[28];
    v[29] = ~v[29];
  }
  const s = SIGMA_HALVES;
  for (let round = 0; round < ROUNDS; round++) {
    const r = (round % 10) * 16;
    mix(0, 8, 16, 24, s[r], s[r + 1]);
    mix(2, 10, 18, 26, s[r + 2], s[r + 3]);
    mix(4, 12, 20, 28, s[r + 4], s[r + 5]);
    mix(6, 14, 22, 30, s[r + 6], s[r + 7]);
    mix(0, 10, 20, 30, s[r + 8], s[r + 9]);
    mix(2, 12, 22, 24, s[r + 10], s[r + 11]);
    mix(4, 14, 16, 26, s[r + 12], s[r + 13]);
    mix(6, 8, 18, 28, s[r + 14], s[r + 15]);
  }
  for (let i = 0; i < 16; i++) h[i] ^= v[i] ^ v[i + 16];
}

/**
 * Unkeyed BLAKE2b digest of `input`, `outLength` bytes long (an integer in 1..64).
 * Throws `RangeError` for any other length.
 */
export function blake2b(input: Uint8Array, outLength: number): Uint8Array {
  if (!Number.isInteger(outLength) || outLength < 1 || outLength > 64) {
    throw new RangeError(`blake2b: digest length must be an integer in [1, 64], got ${outLength}`);
  }
  h.set(IV);
  h[0] ^= 0x01010000 ^ outLength; // parameter block: digest length, key length 0, fanout 1, depth 1
  const length = input.length;
  let offset = 0;
  while (length - offset > BLOCK_BYTES) {
    compress(input, offset, offset + BLOCK_BYTES, false);
    offset += BLOCK_BYTES;
  }
  // The final block (possibly empty for empty input) is zero-padded.
  tail.fill(0);
  tail.set(input.subarray(offset));
  compress(tail, 0, length, true);
  const out = new Uint8Array(outLength);
  for (let i = 0; i < outLength; i++) out[i] = h[i >> 2] >>> (8 * (i & 3));
  return out;
}

/** Lower-case hex BLAKE2b digest (`outLength` bytes) of the UTF-8 encoding of `text`. */
export function blake2bHex(text: string, outLength: number): string {
  const digest = blake2b(new TextEncoder().encode(text), outLength);
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
