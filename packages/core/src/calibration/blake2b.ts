/**
 * Unkeyed BLAKE2b (RFC 7693) with a configurable digest length, used for fold keys
 * (BLAKE2b-128 of `"{prompt_id}-{seed}"`, as the reference does).
 *
 * Node's crypto offers only `blake2b512`, and a 16-byte BLAKE2b is not a truncation of the 64-byte
 * one (the digest length is part of the parameter block), so the hash is implemented here.
 * 64-bit words are held as (low, high) pairs of 32-bit integers.
 */

const IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a, 0xade682d1,
  0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

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

const v = new Uint32Array(32);
const m = new Uint32Array(32);

/** v[a] += v[b] (64-bit words at word indices a, b). */
function add(a: number, b: number): void {
  const lo = v[2 * a] + v[2 * b];
  const hi = v[2 * a + 1] + v[2 * b + 1] + (lo >= 0x100000000 ? 1 : 0);
  v[2 * a] = lo;
  v[2 * a + 1] = hi;
}

/** v[a] += m[x]. */
function addMessage(a: number, x: number): void {
  const lo = v[2 * a] + m[2 * x];
  const hi = v[2 * a + 1] + m[2 * x + 1] + (lo >= 0x100000000 ? 1 : 0);
  v[2 * a] = lo;
  v[2 * a + 1] = hi;
}

/** v[d] = rotr64(v[d] ^ v[a], r) for r ∈ {16, 24, 32, 63}. */
function xorRotate(d: number, a: number, r: number): void {
  const lo = v[2 * d] ^ v[2 * a];
  const hi = v[2 * d + 1] ^ v[2 * a + 1];
  let nlo: number;
  let nhi: number;
  if (r === 32) {
    nlo = hi;
    nhi = lo;
  } else if (r === 63) {
    nlo = (lo << 1) | (hi >>> 31);
    nhi = (hi << 1) | (lo >>> 31);
  } else {
    nlo = (lo >>> r) | (hi << (32 - r));
    nhi = (hi >>> r) | (lo << (32 - r));
  }
  v[2 * d] = nlo;
  v[2 * d + 1] = nhi;
}

function mix(a: number, b: number, c: number, d: number, x: number, y: number): void {
  add(a, b);
  addMessage(a, x);
  xorRotate(d, a, 32);
  add(c, d);
  xorRotate(b, c, 24);
  add(a, b);
  addMessage(a, y);
  xorRotate(d, a, 16);
  add(c, d);
  xorRotate(b, c, 63);
}

function compress(h: Uint32Array, block: Uint8Array, offset: number, counter: number, last: boolean): void {
  for (let i = 0; i < 16; i++) {
    v[i] = h[i];
    v[i + 16] = IV[i];
  }
  v[24] ^= counter >>> 0;
  v[25] ^= Math.floor(counter / 0x100000000);
  if (last) {
    v[28] = ~v[28];
    v[29] = ~v[29];
  }
  for (let i = 0; i < 32; i++) {
    const p = offset + 4 * i;
    m[i] = block[p] | (block[p + 1] << 8) | (block[p + 2] << 16) | (block[p + 3] << 24);
  }
  for (let round = 0; round < 12; round++) {
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

/** BLAKE2b digest of `input` with `outLength` bytes (1–64). */
export function blake2b(input: Uint8Array, outLength: number): Uint8Array {
  if (!Number.isInteger(outLength) || outLength < 1 || outLength > 64) {
    throw new RangeError(`BLAKE2b digest length must be an integer in [1, 64], got ${outLength}`);
  }
  const h = Uint32Array.from(IV);
  h[0] ^= 0x01010000 ^ outLength;
  const blocks = Math.max(1, Math.ceil(input.length / 128));
  const padded = new Uint8Array(blocks * 128);
  padded.set(input);
  for (let b = 0; b < blocks; b++) {
    const last = b === blocks - 1;
    compress(h, padded, b * 128, last ? input.length : (b + 1) * 128, last);
  }
  const out = new Uint8Array(outLength);
  for (let i = 0; i < outLength; i++) out[i] = h[i >> 2] >>> (8 * (i & 3));
  return out;
}

/** Lower-case hex BLAKE2b digest of the UTF-8 bytes of `text`. */
export function blake2bHex(text: string, outLength: number): string {
  return Buffer.from(blake2b(new TextEncoder().encode(text), outLength)).toString("hex");
}
