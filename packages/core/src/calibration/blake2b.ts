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

// Scratch state, reused across calls (hashing is synchronous): chain value h, work vector v, message block m.
const h = new Uint32Array(16);
const v = new Uint32Array(32);
const m = new Uint32Array(32);

/** v[a] ← v[a] + v[b] + m[k] (mod 2^64); word indices. */
function add3(a: number, b: number, k: number): void {
  const lo = v[2 * a] + v[2 * b] + m[2 * k];
  v[2 * a + 1] = v[2 * a + 1] + v[2 * b + 1] + m[2 * k + 1] + Math.floor(lo / 0x100000000);
  v[2 * a] = lo;
}

/** v[a] ← v[a] + v[b] (mod 2^64). */
function add2(a: number, b: number): void {
  const lo = v[2 * a] + v[2 * b];
  v[2 * a + 1] = v[2 * a + 1] + v[2 * b + 1] + (lo >= 0x100000000 ? 1 : 0);
  v[2 * a] = lo;
}

/** v[d] ← (v[d] xor v[a]) rotated right by `bits` (one of 16, 24, 32, 63). */
function xorRotate(d: number, a: number, bits: number): void {
  const lo = v[2 * d] ^ v[2 * a];
  const hi = v[2 * d + 1] ^ v[2 * a + 1];
  if (bits === 32) {
    v[2 * d] = hi;
    v[2 * d + 1] = lo;
  } else if (bits === 63) {
    // Right by 63 is left by 1.
    v[2 * d] = (lo << 1) | (hi >>> 31);
    v[2 * d + 1] = (hi << 1) | (lo >>> 31);
  } else {
    v[2 * d] = (lo >>> bits) | (hi << (32 - bits));
    v[2 * d + 1] = (hi >>> bits) | (lo << (32 - bits));
  }
}

/** The mixing function G on words a, b, c, d with message words x, y (RFC 7693 §3.1). */
function mix(a: number, b: number, c: number, d: number, x: number, y: number): void {
  add3(a, b, x);
  xorRotate(d, a, 32);
  add2(c, d);
  xorRotate(b, c, 24);
  add3(a, b, y);
  xorRotate(d, a, 16);
  add2(c, d);
  xorRotate(b, c, 63);
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
  v[25] ^= Math.floor(counter / 0x100000000);
  if (last) {
    v[28] = ~v[28];
    v[29] = ~v[29];
  }
  for (let round = 0; round < ROUNDS; round++) {
    const s = SIGMA[round % 10];
    mix(0, 4, 8, 12, s[0], s[1]);
    mix(1, 5, 9, 13, s[2], s[3]);
    mix(2, 6, 10, 14, s[4], s[5]);
    mix(3, 7, 11, 15, s[6], s[7]);
    mix(0, 5, 10, 15, s[8], s[9]);
    mix(1, 6, 11, 12, s[10], s[11]);
    mix(2, 7, 8, 13, s[12], s[13]);
    mix(3, 4, 9, 14, s[14], s[15]);
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
  const last = new Uint8Array(BLOCK_BYTES);
  last.set(input.subarray(offset));
  compress(last, 0, length, true);
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
