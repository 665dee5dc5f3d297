import { z } from "zod";

/**
 * Records keyed by user strings (policy names, field names, drop reasons). A plain `{}` inherits from
 * `Object.prototype`, so a policy named `constructor` or `toString` would "exist" before it is added and
 * `obj["__proto__"] = x` would replace the prototype instead of adding a key. Every such record in core is
 * built with {@link dict} (a null-prototype object, so it still serialises as plain JSON) or is a `Map`, and
 * every lookup in a record that may come from a caller goes through {@link own}.
 */

/** A null-prototype record, optionally filled from `entries`: `__proto__`, `constructor`, … are ordinary keys. */
export function dict<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) out[key] = value;
  return out;
}

/** `record[key]` when `key` is the record's own key, else `undefined` (never an inherited member). */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A null-prototype copy of `record` (own enumerable keys only). */
export function dictCopy<T>(record: Readonly<Record<string, T>> | undefined): Record<string, T> {
  return dict(record === undefined ? [] : Object.entries(record));
}

/**
 * A zod schema of a string-keyed record whose values match `value`, parsed into a {@link dict}. Unlike
 * `z.record`, which drops a `__proto__` key, every own key survives (a policy may be named `__proto__`).
 */
export function recordSchema<V extends z.ZodType>(value: V): z.ZodType<Record<string, z.output<V>>, Record<string, z.input<V>>> {
  return z
    .custom<Record<string, z.input<V>>>((input) => typeof input === "object" && input !== null && !Array.isArray(input), "expected an object")
    .transform((input, ctx) => {
      const out = dict<z.output<V>>();
      for (const key of Object.keys(input)) {
        const result = value.safeParse(input[key]);
        if (result.success) out[key] = result.data as z.output<V>;
        else for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: [key, ...issue.path] });
      }
      return out;
    }) as unknown as z.ZodType<Record<string, z.output<V>>, Record<string, z.input<V>>>;
}
