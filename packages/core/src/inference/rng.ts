/**
 * Seeded, reproducible random numbers: splitmix64 seed expansion into a xoshiro128** state
 * (period 2^128 − 1). Seeds are hashed through splitmix64, so small integer seeds (0, 1, 42, …)
 * give uncorrelated streams.
 */

/** A seeded random-number generator. */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** Exp(1) variate, strictly positive (inversion of a uniform in (0, 1)). */
  nextExponential(): number;
  /** Standard normal variate (Marsaglia polar method). */
  nextNormal(): number;
  /** Uniform integer in [0, n), unbiased (rejection sampling). */
  nextInt(n: number): number;
  /** Fills `out` with Exp(1) variates. */
  fillExponential(out: Float64Array): void;
  /** Shuffles `values` in place (Fisher–Yates). */
  shuffle<T>(values: T[] | Int32Array | Float64Array): void;
  /** An independent generator derived from this generator's seed and `stream`. */
  fork(stream: number): Rng;
}

const MASK64 = (1n << 64n) - 1n;

/** splitmix64 step on a BigInt state; returns [next state, output]. Used only for seeding. */
function splitmix64(state: bigint): [bigint, bigint] {
  const s = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = s;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [s, z ^ (z >> 31n)];
}

/** Seed material from a number or string (strings hash by FNV-1a 64). */
function seedToBigInt(seed: number | string): bigint {
  if (typeof seed === "number") {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`);
    return BigInt.asUintN(64, BigInt(Math.trunc(seed)));
  }
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(seed)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & MASK64;
  return h;
}

/** Creates a generator from a numeric or string seed. */
export function createRng(seed: number | string): Rng {
  return new Xoshiro128(seedToBigInt(seed));
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

class Xoshiro128 implements Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal = Number.NaN;

  constructor(private readonly seed: bigint) {
    let state = seed;
    let a: bigint;
    let b: bigint;
    [state, a] = splitmix64(state);
    [, b] = splitmix64(state);
    this.s0 = Number(a & 0xffffffffn);
    this.s1 = Number(a >> 32n);
    this.s2 = Number(b & 0xffffffffn);
    this.s3 = Number(b >> 32n);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  nextExponential(): number {
    // (k + 0.5) / 2^53 lies strictly inside (0, 1), so the variate is finite and > 0.
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return -Math.log((hi * 67108864 + lo + 0.5) / TWO_POW_53);
  }

  nextNormal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const v = this.spareNormal;
      this.spareNormal = Number.NaN;
      return v;
    }
    for (;;) {
      const u = 2 * this.nextFloat() - 1;
      const v = 2 * this.nextFloat() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * m;
        return u * m;
      }
    }
  }

  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) throw new RangeError(`nextInt needs an integer n in [1, 2^32], got ${n}`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  fillExponential(out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.nextExponential();
  }

  shuffle<T>(values: T[] | Int32Array | Float64Array): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
  }

  fork(stream: number): Rng {
    if (!Number.isInteger(stream) || stream < 0) throw new RangeError(`stream must be a non-negative integer, got ${stream}`);
    const [, mixed] = splitmix64(this.seed ^ ((BigInt(stream) + 1n) * 0xd1b54a32d192ed03n & MASK64));
    return new Xoshiro128(mixed);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
