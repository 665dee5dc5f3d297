/**
 * Numbers prompt ids in order of first appearance, across all policies. Besides giving the draw
 * index a dense integer key, it makes every draw of a prompt share one id string instance.
 */
export class PromptRegistry {
  private readonly keys = new Map<string, number>();
  private readonly ids: string[] = [];

  /** The key of `id` (registering it when new). */
  keyOf(id: string): number {
    let key = this.keys.get(id);
    if (key === undefined) {
      key = this.ids.length;
      this.keys.set(id, key);
      this.ids.push(id);
    }
    return key;
  }

  /** The shared id string of `key`. */
  idOf(key: number): string {
    return this.ids[key];
  }
}
