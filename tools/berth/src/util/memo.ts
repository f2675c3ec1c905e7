// A map that computes each value the first time it is asked for, and keeps it for as long as its owner lives.
export class Memo<K, V> {
  private readonly values = new Map<K, V>();

  get(key: K, make: () => V): V {
    if (this.values.has(key)) return this.values.get(key) as V;
    const value = make();
    this.values.set(key, value);
    return value;
  }
}
