/**
 * Seeded, reproducible random numbers: xoshiro128** (Blackman & Vigna; 32-bit arithmetic, period
 * 2^128 − 1), its state filled with two splitmix64 outputs of a 64-bit seed key. Because every seed
 * goes through splitmix64, small integer seeds (0, 1, 2, …) give uncorrelated streams. BigInt is
 * used only when seeding and forking, never per draw.
 *
 * Variates: uniforms with 53 random bits; Exp(1) by a 256-layer ziggurat (Marsaglia & Tsang 2000)
 * on 53-bit uniforms; N(0, 1) by inversion of an open 52-bit uniform through AS241.
 */
import { normalQuantile } from "./distributions.js";

/** A seeded random-number generator. Equal seeds give equal sequences on every platform. */
export interface Rng {
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** Exp(1) variate, strictly positive (ziggurat; about two 32-bit draws each). */
  nextExponential(): number;
  /** Standard normal variate (inversion of a uniform in (0, 1) by AS241; two 32-bit draws). */
  nextNormal(): number;
  /** Uniform integer in [0, n) for an integer 1 ≤ n ≤ 2^53, unbiased (rejection sampling). */
  nextInt(n: number): number;
  /** Fills `out` with Exp(1) variates (same values as repeated `nextExponential()` calls). */
  fillExponential(out: Float64Array): void;
  /** Shuffles `values` in place, uniformly over permutations (Fisher–Yates). */
  shuffle<T>(values: { length: number; [index: number]: T }): void;
  /**
   * An independent generator for stream number `stream` (a non-negative safe integer), derived
   * from this generator's seed and `stream` only, not from how many values were drawn; use one
   * stream per parallel worker.
   */
  fork(stream: number): Rng;
}

const MASK_64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
/** Odd multiplier spreading stream numbers over 64 bits before they are mixed into a fork's key. */
const STREAM_MULTIPLIER = 0xd1b54a32d192ed03n;

/**
 * The first `count` outputs of splitmix64 (Steele, Lea & Flood 2014) started from `seed`
 * (taken modulo 2^64): the state advances by the golden gamma, and each output is the state
 * passed through the variant-13 mixer.
 */
export function splitmix64(seed: bigint, count: number): bigint[] {
  const out: bigint[] = [];
  let state = BigInt.asUintN(64, seed);
  for (let i = 0; i < count; i++) {
    state = (state + GOLDEN_GAMMA) & MASK_64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
    out.push(z ^ (z >> 31n));
  }
  return out;
}

/**
 * The 64-bit key of a seed: a safe integer as two's complement (so −1 and 2^64 − 1 coincide, an
 * accepted aliasing), a string as the FNV-1a 64 hash of its UTF-8 bytes.
 */
function seedKey(seed: number | string): bigint {
  if (typeof seed === "number") {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`createRng: a numeric seed must be a safe integer, got ${seed}`);
    return BigInt.asUintN(64, BigInt(seed));
  }
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(seed)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & MASK_64;
  return hash;
}

/** Creates a generator from an integer seed (any safe integer) or a string seed. */
export function createRng(seed: number | string): Rng {
  return new Xoshiro128StarStar(seedKey(seed));
}

const TWO_POW_26 = 67108864;
const TWO_POW_29 = 536870912;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

// Ziggurat for Exp(1): 256 regions of equal area V. Region 0 is the base strip [0, R]×[0, e^{−R}]
// plus the tail beyond R; region j ≥ 1 is the rectangle [0, x_{j−1}]×[e^{−x_{j−1}}, e^{−x_j}], with
// x_0 = R, x_{j+1} = −ln(V/x_j + e^{−x_j}) and x_255 = 0. R is Marsaglia & Tsang's constant, for
// which the recursion closes at 0; V = (R + 1)·e^{−R}.
const ZIGGURAT_R = 7.69711747013104972;
const ZIGGURAT_LAYERS = 256;
/** x scale of region j per unit of a 53-bit integer uniform (region 0: the base strip's virtual width V/e^{−R}). */
const ZIGGURAT_WIDTH = new Float64Array(ZIGGURAT_LAYERS);
/** Integer uniforms below this land entirely under the density in region j (accept at once). */
const ZIGGURAT_INNER = new Float64Array(ZIGGURAT_LAYERS);
/** e^{−x_j} (1 for j = 255): region j ≥ 1 spans heights e^{−x_{j−1}} to e^{−x_j}, used by the wedge test. */
const ZIGGURAT_HEIGHT = new Float64Array(ZIGGURAT_LAYERS);
(() => {
  const area = (ZIGGURAT_R + 1) * Math.exp(-ZIGGURAT_R);
  const x = new Float64Array(ZIGGURAT_LAYERS);
  x[0] = ZIGGURAT_R;
  for (let j = 0; j < ZIGGURAT_LAYERS - 2; j++) x[j + 1] = -Math.log(area / x[j] + Math.exp(-x[j]));
  // x[255] = 0: the top region's inner part is empty and its upper height is 1.
  for (let j = 0; j < ZIGGURAT_LAYERS; j++) ZIGGURAT_HEIGHT[j] = Math.exp(-x[j]);
  const baseWidth = area / Math.exp(-ZIGGURAT_R);
  ZIGGURAT_WIDTH[0] = baseWidth / TWO_POW_53;
  ZIGGURAT_INNER[0] = (ZIGGURAT_R / baseWidth) * TWO_POW_53;
  for (let j = 1; j < ZIGGURAT_LAYERS; j++) {
    ZIGGURAT_WIDTH[j] = x[j - 1] / TWO_POW_53;
    ZIGGURAT_INNER[j] = (x[j] / x[j - 1]) * TWO_POW_53;
  }
})();

class Xoshiro128StarStar implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(private readonly key: bigint) {
    // Two distinct splitmix64 outputs cannot both be zero, so the state is never all-zero.
    const [a, b] = splitmix64(key, 2);
    this.s0 = Number(a & 0xffffffffn) | 0;
    this.s1 = Number(a >> 32n) | 0;
    this.s2 = Number(b & 0xffffffffn) | 0;
    this.s3 = Number(b >> 32n) | 0;
  }

  nextUint32(): number {
    const s1 = this.s1;
    const product = Math.imul(s1, 5);
    const result = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  }

  nextExponential(): number {
    const r1 = this.nextUint32();
    const r2 = this.nextUint32();
    const region = r1 & 255;
    // 53-bit uniform from the other 24 + 29 bits, at the midpoint of its cell so that x > 0.
    const u = (r1 >>> 8) * TWO_POW_29 + (r2 >>> 3) + 0.5;
    if (u < ZIGGURAT_INNER[region]) return u * ZIGGURAT_WIDTH[region];
    return this.slowExponential(region, u);
  }

  /** The ziggurat's rejection steps after a first draw (`region`, `u`) missed the fast path. */
  private slowExponential(firstRegion: number, firstU: number): number {
    let shift = 0;
    let region = firstRegion;
    let u = firstU;
    for (;;) {
      if (u < ZIGGURAT_INNER[region]) return shift + u * ZIGGURAT_WIDTH[region];
      if (region === 0) {
        shift += ZIGGURAT_R; // the tail beyond R is R + Exp(1)
      } else {
        const x = u * ZIGGURAT_WIDTH[region];
        const bottom = ZIGGURAT_HEIGHT[region - 1];
        if (bottom + this.nextFloat() * (ZIGGURAT_HEIGHT[region] - bottom) < Math.exp(-x)) return shift + x;
      }
      const r1 = this.nextUint32();
      const r2 = this.nextUint32();
      region = r1 & 255;
      u = (r1 >>> 8) * TWO_POW_29 + (r2 >>> 3) + 0.5;
    }
  }

  nextNormal(): number {
    const hi = this.nextUint32() >>> 6; // 26 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    // (k + ½)/2^52 is exact and lies in (0, 1), symmetric about ½.
    return normalQuantile((hi * TWO_POW_26 + lo + 0.5) / 4503599627370496);
  }

  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_53) {
      throw new RangeError(`nextInt: n must be an integer in [1, 2^53], got ${n}`);
    }
    if (n <= TWO_POW_32) {
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      for (;;) {
        const x = this.nextUint32();
        if (x < limit) return x % n;
      }
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    for (;;) {
      const x = this.nextFloat() * TWO_POW_53;
      if (x < limit) return x % n;
    }
  }

  fillExponential(out: Float64Array): void {
    // The ziggurat's fast path (≈98.9% of draws) with the generator state in locals; the rare
    // wedge and tail cases go through nextExponential() on the synchronised state, so the values
    // equal those of repeated nextExponential() calls. Everything stays int32 — the outputs are not
    // made unsigned (only their bits are used) and the state is re-read with `| 0` — so that V8
    // keeps the loop in int32 registers instead of boxed numbers (about 20% faster, same values).
    let s0 = this.s0 | 0;
    let s1 = this.s1 | 0;
    let s2 = this.s2 | 0;
    let s3 = this.s3 | 0;
    for (let i = 0; i < out.length; i++) {
      let p = Math.imul(s1, 5);
      const r1 = Math.imul((p << 7) | (p >>> 25), 9);
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      p = Math.imul(s1, 5);
      const r2 = Math.imul((p << 7) | (p >>> 25), 9);
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const region = r1 & 255;
      const u = (r1 >>> 8) * TWO_POW_29 + (r2 >>> 3) + 0.5;
      if (u < ZIGGURAT_INNER[region]) {
        out[i] = u * ZIGGURAT_WIDTH[region];
        continue;
      }
      // Slow path: hand the synchronised state to the rejection steps, as nextExponential() does.
      this.s0 = s0;
      this.s1 = s1;
      this.s2 = s2;
      this.s3 = s3;
      out[i] = this.slowExponential(region, u);
      s0 = this.s0 | 0;
      s1 = this.s1 | 0;
      s2 = this.s2 | 0;
      s3 = this.s3 | 0;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  shuffle<T>(values: { length: number; [index: number]: T }): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const held = values[i];
      values[i] = values[j];
      values[j] = held;
    }
  }

  fork(stream: number): Rng {
    if (!Number.isSafeInteger(stream) || stream < 0) {
      throw new RangeError(`fork: stream must be a non-negative safe integer, got ${stream}`);
    }
    const salt = (BigInt(stream + 1) * STREAM_MULTIPLIER) & MASK_64;
    return new Xoshiro128StarStar(splitmix64(this.key ^ salt, 1)[0]);
  }
}
