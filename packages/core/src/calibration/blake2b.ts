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

// Scratch state, reused across calls (hashing is synchronous): chain value h, message block m, and the
// zero-padded final block.
const h = new Uint32Array(16);
const m = new Uint32Array(32);
const tail = new Uint8Array(BLOCK_BYTES);

/** 2^32: a sum of 32-bit halves divided by it (truncated) is the carry into the high half. */
const WORD = 0x100000000;

/**
 * Compression function F (RFC 7693 §3.2) on the block at `offset` of `block`; `counter` = bytes hashed
 * so far, including this block.
 *
 * The work vector's 16 words are held in 32 locals (word i: low half v{2i}, high half v{2i+1}, as
 * unsigned 32-bit numbers), and each round's eight applications of the mixing function G (§3.1) are
 * written out on them — nearly twice as fast as mixing in a typed array. G on words a, b, c, d with
 * message words x, y is
 *
 *   a ← a + b + x;  d ← (d ⊕ a) ⋙ 32;  c ← c + d;  b ← (b ⊕ c) ⋙ 24;
 *   a ← a + b + y;  d ← (d ⊕ a) ⋙ 16;  c ← c + d;  b ← (b ⊕ c) ⋙ 63,
 *
 * where an addition carries from the low into the high half and a rotation exchanges bits between
 * the halves (by 32: the halves swap).
 */
function compress(block: Uint8Array, offset: number, counter: number, last: boolean): void {
  for (let i = 0; i < 32; i++) {
    const at = offset + 4 * i;
    m[i] = block[at] | (block[at + 1] << 8) | (block[at + 2] << 16) | (block[at + 3] << 24);
  }
  let v0 = h[0];
  let v1 = h[1];
  let v2 = h[2];
  let v3 = h[3];
  let v4 = h[4];
  let v5 = h[5];
  let v6 = h[6];
  let v7 = h[7];
  let v8 = h[8];
  let v9 = h[9];
  let v10 = h[10];
  let v11 = h[11];
  let v12 = h[12];
  let v13 = h[13];
  let v14 = h[14];
  let v15 = h[15];
  let v16 = IV[0];
  let v17 = IV[1];
  let v18 = IV[2];
  let v19 = IV[3];
  let v20 = IV[4];
  let v21 = IV[5];
  let v22 = IV[6];
  let v23 = IV[7];
  let v24 = (IV[8] ^ counter) >>> 0; // t, low 64 bits (counter < 2^53)
  let v25 = (IV[9] ^ Math.floor(counter / WORD)) >>> 0;
  let v26 = IV[10];
  let v27 = IV[11];
  let v28 = last ? ~IV[12] >>> 0 : IV[12]; // final block flag
  let v29 = last ? ~IV[13] >>> 0 : IV[13];
  let v30 = IV[14];
  let v31 = IV[15];
  const s = SIGMA_HALVES;
  let x: number;
  let sum: number;
  let lo: number;
  let hi: number;
  for (let round = 0; round < ROUNDS; round++) {
    const r = (round % 10) * 16;
    // column 0: G on words 0, 4, 8, 12 with message words σ[0], σ[1]
    x = s[r];
    sum = v0 + v8 + m[x];
    v1 = (v1 + v9 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v0 = sum >>> 0;
    lo = (v25 ^ v1) >>> 0;
    v25 = (v24 ^ v0) >>> 0;
    v24 = lo;
    sum = v16 + v24;
    v17 = (v17 + v25 + ((sum / WORD) | 0)) >>> 0;
    v16 = sum >>> 0;
    lo = v8 ^ v16;
    hi = v9 ^ v17;
    v8 = ((lo >>> 24) | (hi << 8)) >>> 0;
    v9 = ((hi >>> 24) | (lo << 8)) >>> 0;
    x = s[r + 1];
    sum = v0 + v8 + m[x];
    v1 = (v1 + v9 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v0 = sum >>> 0;
    lo = v24 ^ v0;
    hi = v25 ^ v1;
    v24 = ((lo >>> 16) | (hi << 16)) >>> 0;
    v25 = ((hi >>> 16) | (lo << 16)) >>> 0;
    sum = v16 + v24;
    v17 = (v17 + v25 + ((sum / WORD) | 0)) >>> 0;
    v16 = sum >>> 0;
    lo = v8 ^ v16;
    hi = v9 ^ v17;
    v8 = ((lo << 1) | (hi >>> 31)) >>> 0;
    v9 = ((hi << 1) | (lo >>> 31)) >>> 0;
    // column 1: G on words 1, 5, 9, 13 with message words σ[2], σ[3]
    x = s[r + 2];
    sum = v2 + v10 + m[x];
    v3 = (v3 + v11 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v2 = sum >>> 0;
    lo = (v27 ^ v3) >>> 0;
    v27 = (v26 ^ v2) >>> 0;
    v26 = lo;
    sum = v18 + v26;
    v19 = (v19 + v27 + ((sum / WORD) | 0)) >>> 0;
    v18 = sum >>> 0;
    lo = v10 ^ v18;
    hi = v11 ^ v19;
    v10 = ((lo >>> 24) | (hi << 8)) >>> 0;
    v11 = ((hi >>> 24) | (lo << 8)) >>> 0;
    x = s[r + 3];
    sum = v2 + v10 + m[x];
    v3 = (v3 + v11 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v2 = sum >>> 0;
    lo = v26 ^ v2;
    hi = v27 ^ v3;
    v26 = ((lo >>> 16) | (hi << 16)) >>> 0;
    v27 = ((hi >>> 16) | (lo << 16)) >>> 0;
    sum = v18 + v26;
    v19 = (v19 + v27 + ((sum / WORD) | 0)) >>> 0;
    v18 = sum >>> 0;
    lo = v10 ^ v18;
    hi = v11 ^ v19;
    v10 = ((lo << 1) | (hi >>> 31)) >>> 0;
    v11 = ((hi << 1) | (lo >>> 31)) >>> 0;
    // column 2: G on words 2, 6, 10, 14 with message words σ[4], σ[5]
    x = s[r + 4];
    sum = v4 + v12 + m[x];
    v5 = (v5 + v13 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v4 = sum >>> 0;
    lo = (v29 ^ v5) >>> 0;
    v29 = (v28 ^ v4) >>> 0;
    v28 = lo;
    sum = v20 + v28;
    v21 = (v21 + v29 + ((sum / WORD) | 0)) >>> 0;
    v20 = sum >>> 0;
    lo = v12 ^ v20;
    hi = v13 ^ v21;
    v12 = ((lo >>> 24) | (hi << 8)) >>> 0;
    v13 = ((hi >>> 24) | (lo << 8)) >>> 0;
    x = s[r + 5];
    sum = v4 + v12 + m[x];
    v5 = (v5 + v13 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v4 = sum >>> 0;
    lo = v28 ^ v4;
    hi = v29 ^ v5;
    v28 = ((lo >>> 16) | (hi << 16)) >>> 0;
    v29 = ((hi >>> 16) | (lo << 16)) >>> 0;
    sum = v20 + v28;
    v21 = (v21 + v29 + ((sum / WORD) | 0)) >>> 0;
    v20 = sum >>> 0;
    lo = v12 ^ v20;
    hi = v13 ^ v21;
    v12 = ((lo << 1) | (hi >>> 31)) >>> 0;
    v13 = ((hi << 1) | (lo >>> 31)) >>> 0;
    // column 3: G on words 3, 7, 11, 15 with message words σ[6], σ[7]
    x = s[r + 6];
    sum = v6 + v14 + m[x];
    v7 = (v7 + v15 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v6 = sum >>> 0;
    lo = (v31 ^ v7) >>> 0;
    v31 = (v30 ^ v6) >>> 0;
    v30 = lo;
    sum = v22 + v30;
    v23 = (v23 + v31 + ((sum / WORD) | 0)) >>> 0;
    v22 = sum >>> 0;
    lo = v14 ^ v22;
    hi = v15 ^ v23;
    v14 = ((lo >>> 24) | (hi << 8)) >>> 0;
    v15 = ((hi >>> 24) | (lo << 8)) >>> 0;
    x = s[r + 7];
    sum = v6 + v14 + m[x];
    v7 = (v7 + v15 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v6 = sum >>> 0;
    lo = v30 ^ v6;
    hi = v31 ^ v7;
    v30 = ((lo >>> 16) | (hi << 16)) >>> 0;
    v31 = ((hi >>> 16) | (lo << 16)) >>> 0;
    sum = v22 + v30;
    v23 = (v23 + v31 + ((sum / WORD) | 0)) >>> 0;
    v22 = sum >>> 0;
    lo = v14 ^ v22;
    hi = v15 ^ v23;
    v14 = ((lo << 1) | (hi >>> 31)) >>> 0;
    v15 = ((hi << 1) | (lo >>> 31)) >>> 0;
    // diagonal 0: G on words 0, 5, 10, 15 with message words σ[8], σ[9]
    x = s[r + 8];
    sum = v0 + v10 + m[x];
    v1 = (v1 + v11 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v0 = sum >>> 0;
    lo = (v31 ^ v1) >>> 0;
    v31 = (v30 ^ v0) >>> 0;
    v30 = lo;
    sum = v20 + v30;
    v21 = (v21 + v31 + ((sum / WORD) | 0)) >>> 0;
    v20 = sum >>> 0;
    lo = v10 ^ v20;
    hi = v11 ^ v21;
    v10 = ((lo >>> 24) | (hi << 8)) >>> 0;
    v11 = ((hi >>> 24) | (lo << 8)) >>> 0;
    x = s[r + 9];
    sum = v0 + v10 + m[x];
    v1 = (v1 + v11 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v0 = sum >>> 0;
    lo = v30 ^ v0;
    hi = v31 ^ v1;
    v30 = ((lo >>> 16) | (hi << 16)) >>> 0;
    v31 = ((hi >>> 16) | (lo << 16)) >>> 0;
    sum = v20 + v30;
    v21 = (v21 + v31 + ((sum / WORD) | 0)) >>> 0;
    v20 = sum >>> 0;
    lo = v10 ^ v20;
    hi = v11 ^ v21;
    v10 = ((lo << 1) | (hi >>> 31)) >>> 0;
    v11 = ((hi << 1) | (lo >>> 31)) >>> 0;
    // diagonal 1: G on words 1, 6, 11, 12 with message words σ[10], σ[11]
    x = s[r + 10];
    sum = v2 + v12 + m[x];
    v3 = (v3 + v13 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v2 = sum >>> 0;
    lo = (v25 ^ v3) >>> 0;
    v25 = (v24 ^ v2) >>> 0;
    v24 = lo;
    sum = v22 + v24;
    v23 = (v23 + v25 + ((sum / WORD) | 0)) >>> 0;
    v22 = sum >>> 0;
    lo = v12 ^ v22;
    hi = v13 ^ v23;
    v12 = ((lo >>> 24) | (hi << 8)) >>> 0;
    v13 = ((hi >>> 24) | (lo << 8)) >>> 0;
    x = s[r + 11];
    sum = v2 + v12 + m[x];
    v3 = (v3 + v13 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v2 = sum >>> 0;
    lo = v24 ^ v2;
    hi = v25 ^ v3;
    v24 = ((lo >>> 16) | (hi << 16)) >>> 0;
    v25 = ((hi >>> 16) | (lo << 16)) >>> 0;
    sum = v22 + v24;
    v23 = (v23 + v25 + ((sum / WORD) | 0)) >>> 0;
    v22 = sum >>> 0;
    lo = v12 ^ v22;
    hi = v13 ^ v23;
    v12 = ((lo << 1) | (hi >>> 31)) >>> 0;
    v13 = ((hi << 1) | (lo >>> 31)) >>> 0;
    // diagonal 2: G on words 2, 7, 8, 13 with message words σ[12], σ[13]
    x = s[r + 12];
    sum = v4 + v14 + m[x];
    v5 = (v5 + v15 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v4 = sum >>> 0;
    lo = (v27 ^ v5) >>> 0;
    v27 = (v26 ^ v4) >>> 0;
    v26 = lo;
    sum = v16 + v26;
    v17 = (v17 + v27 + ((sum / WORD) | 0)) >>> 0;
    v16 = sum >>> 0;
    lo = v14 ^ v16;
    hi = v15 ^ v17;
    v14 = ((lo >>> 24) | (hi << 8)) >>> 0;
    v15 = ((hi >>> 24) | (lo << 8)) >>> 0;
    x = s[r + 13];
    sum = v4 + v14 + m[x];
    v5 = (v5 + v15 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v4 = sum >>> 0;
    lo = v26 ^ v4;
    hi = v27 ^ v5;
    v26 = ((lo >>> 16) | (hi << 16)) >>> 0;
    v27 = ((hi >>> 16) | (lo << 16)) >>> 0;
    sum = v16 + v26;
    v17 = (v17 + v27 + ((sum / WORD) | 0)) >>> 0;
    v16 = sum >>> 0;
    lo = v14 ^ v16;
    hi = v15 ^ v17;
    v14 = ((lo << 1) | (hi >>> 31)) >>> 0;
    v15 = ((hi << 1) | (lo >>> 31)) >>> 0;
    // diagonal 3: G on words 3, 4, 9, 14 with message words σ[14], σ[15]
    x = s[r + 14];
    sum = v6 + v8 + m[x];
    v7 = (v7 + v9 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v6 = sum >>> 0;
    lo = (v29 ^ v7) >>> 0;
    v29 = (v28 ^ v6) >>> 0;
    v28 = lo;
    sum = v18 + v28;
    v19 = (v19 + v29 + ((sum / WORD) | 0)) >>> 0;
    v18 = sum >>> 0;
    lo = v8 ^ v18;
    hi = v9 ^ v19;
    v8 = ((lo >>> 24) | (hi << 8)) >>> 0;
    v9 = ((hi >>> 24) | (lo << 8)) >>> 0;
    x = s[r + 15];
    sum = v6 + v8 + m[x];
    v7 = (v7 + v9 + m[x + 1] + ((sum / WORD) | 0)) >>> 0;
    v6 = sum >>> 0;
    lo = v28 ^ v6;
    hi = v29 ^ v7;
    v28 = ((lo >>> 16) | (hi << 16)) >>> 0;
    v29 = ((hi >>> 16) | (lo << 16)) >>> 0;
    sum = v18 + v28;
    v19 = (v19 + v29 + ((sum / WORD) | 0)) >>> 0;
    v18 = sum >>> 0;
    lo = v8 ^ v18;
    hi = v9 ^ v19;
    v8 = ((lo << 1) | (hi >>> 31)) >>> 0;
    v9 = ((hi << 1) | (lo >>> 31)) >>> 0;
  }
  h[0] ^= v0 ^ v16;
  h[1] ^= v1 ^ v17;
  h[2] ^= v2 ^ v18;
  h[3] ^= v3 ^ v19;
  h[4] ^= v4 ^ v20;
  h[5] ^= v5 ^ v21;
  h[6] ^= v6 ^ v22;
  h[7] ^= v7 ^ v23;
  h[8] ^= v8 ^ v24;
  h[9] ^= v9 ^ v25;
  h[10] ^= v10 ^ v26;
  h[11] ^= v11 ^ v27;
  h[12] ^= v12 ^ v28;
  h[13] ^= v13 ^ v29;
  h[14] ^= v14 ^ v30;
  h[15] ^= v15 ^ v31;
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
