/**
 * The slow path of sanitising: a copy of any value as plain JSON, which cannot throw and whose
 * work is bounded by a {@link WorkBudget}. Anything the caller passes may be hostile: getters and
 * Proxy traps that throw, shared references, cycles, huge strings, keys named `__proto__`.
 */
import { setOwn } from './own-key.js';
import { boundedString, truncate } from './truncate.js';
import { WorkBudget } from './work-budget.js';

export interface SanitizeLimits {
  /** Longest string kept; longer ones are cut and end in `…[truncated N chars]`. */
  readonly maxStringLength: number;
  /** Nesting deeper than this becomes `"[MaxDepth]"`. @defaultValue 10 */
  readonly maxDepth?: number;
  /** Keys kept per object. @defaultValue 1000 */
  readonly maxKeys?: number;
  /** Items kept per array. @defaultValue 1000 */
  readonly maxArrayLength?: number;
  /** The bound on an event's JSON bytes, from which the work budget derives. @defaultValue 65536 */
  readonly maxEventBytes?: number;
}

/** The outcome of one walk. */
export interface Walked {
  readonly value: unknown;
  /** `true` when the output differs from the input in any way (a repair to count). */
  readonly changed: boolean;
  /** Set when the walk ran out of budget (and `value` is `undefined`): a lower bound of the whole value's JSON bytes. */
  readonly atLeastBytes: number | undefined;
}

const UNSERIALIZABLE = '[Unserializable]';
/**
 * Larger objects are built without a prototype and given `Object.prototype` at the end: adding
 * keys one by one to `{}` makes V8 derive a new hidden class per key, five times slower.
 */
const LARGE_OBJECT = 64;

const newObject = (keys: number): Record<string, unknown> => (keys > LARGE_OBJECT ? (Object.create(null) as Record<string, unknown>) : {});
const finish = (out: Record<string, unknown>, keys: number): Record<string, unknown> =>
  keys > LARGE_OBJECT ? (Object.setPrototypeOf(out, Object.prototype) as Record<string, unknown>) : out;

class Walker {
  changed = false;
  private readonly ancestors: object[] = [];
  private readonly maxDepth: number;
  private readonly maxKeys: number;
  private readonly maxArrayLength: number;
  private readonly maxStringLength: number;

  constructor(limits: SanitizeLimits, private readonly budget: WorkBudget) {
    this.maxDepth = limits.maxDepth ?? 10;
    this.maxKeys = limits.maxKeys ?? 1000;
    this.maxArrayLength = limits.maxArrayLength ?? 1000;
    this.maxStringLength = limits.maxStringLength;
  }

  /**
   * The JSON form of `value`, or `undefined` when it has none (functions, symbols, undefined) or
   * the budget is spent. Never throws: whatever an object does is caught in {@link object}.
   */
  value(value: unknown, depth: number): unknown {
    const budget = this.budget;
    budget.nodes++;
    if (budget.spent) return undefined;
    switch (typeof value) {
      case 'string':
        return this.string(value.length <= this.maxStringLength ? value : this.repaired(truncate(value, this.maxStringLength)));
      case 'number':
        if (Number.isFinite(value)) {
          budget.bytes += 1;
          return value;
        }
        return this.marker(String(value));
      case 'boolean':
        budget.bytes += 4;
        return value;
      case 'bigint':
        return this.marker(boundedString(value, this.maxStringLength));
      case 'object':
        if (value !== null) return this.object(value, depth);
        budget.bytes += 4;
        return null;
      default: // function, symbol, undefined
        this.changed = true;
        return undefined;
    }
  }

  private object(value: object, depth: number): unknown {
    if (this.ancestors.includes(value)) return this.marker('[Circular]');
    if (depth >= this.maxDepth) return this.marker('[MaxDepth]');
    this.ancestors.push(value);
    try {
      return this.special(value, depth);
    } catch {
      return this.marker(UNSERIALIZABLE);
    } finally {
      this.ancestors.pop();
    }
  }

  private special(value: object, depth: number): unknown {
    if (Array.isArray(value)) return this.array(value, depth);
    if (value instanceof Date) return this.marker(Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString());
    if (value instanceof Error) return this.error(value, depth);
    if (value instanceof Map) return this.map(value, depth);
    if (value instanceof Set) return this.set(value, depth);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) {
      return this.marker(`[Binary ${value.byteLength} bytes]`);
    }
    // A pattern's source or a URL may be as long as the caller likes: cut like any string.
    if (value instanceof RegExp) return this.marker(truncate(String(value), this.maxStringLength));
    if (value instanceof URL) return this.marker(truncate(value.href, this.maxStringLength));
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      this.changed = true;
      const json: unknown = toJSON.call(value);
      // One level deeper: a toJSON that returns a fresh object with a toJSON of its own ends at maxDepth.
      return json === value ? this.plain(value, depth) : this.value(json, depth + 1);
    }
    return this.plain(value, depth);
  }

  private error(error: Error, depth: number): Record<string, unknown> {
    this.changed = true;
    const out: Record<string, unknown> = {};
    // Own or inherited, enumerable or not; each read is confined like any other (a throwing `stack` getter costs only `stack`).
    for (const key of ['name', 'message', 'stack']) this.entry(out, key, this.read(error, key, depth));
    this.plain(error, depth, out);
    if ('cause' in error && error.cause !== undefined) this.entry(out, 'cause', this.read(error, 'cause', depth));
    return out;
  }

  private array(items: readonly unknown[], depth: number): unknown[] {
    this.budget.bytes += 2;
    const length = Math.min(items.length, this.maxArrayLength);
    const out: unknown[] = [];
    for (let i = 0; i < length && !this.budget.spent; i++) {
      const item = this.item(items, i, depth);
      out.push(item === undefined ? null : item);
    }
    if (items.length > length) out.push(this.marker(`[${items.length - length} more items]`));
    return out;
  }

  /** Items are read one at a time from the Set's iterator: a million entries cost what is kept. */
  private set(set: Set<unknown>, depth: number): unknown[] {
    this.changed = true;
    this.budget.bytes += 2;
    const out: unknown[] = [];
    for (const item of set) {
      if (out.length >= this.maxArrayLength || this.budget.spent) break;
      const next = this.value(item, depth + 1);
      out.push(next === undefined ? null : next);
    }
    if (set.size > this.maxArrayLength) out.push(this.marker(`[${set.size - this.maxArrayLength} more items]`));
    return out;
  }

  /** Entries are read from the Map's iterator, as many as are kept; keys become strings (cut when they are not strings already). */
  private map(map: Map<unknown, unknown>, depth: number): Record<string, unknown> {
    this.changed = true;
    this.budget.bytes += 2;
    const size = Math.min(map.size, this.maxKeys);
    const out = newObject(size);
    let count = 0;
    for (const [key, item] of map) {
      if (count++ >= this.maxKeys || this.budget.spent) break;
      const name = typeof key === 'string' ? key : boundedString(key, this.maxStringLength);
      this.entry(out, name, this.value(item, depth + 1));
    }
    if (map.size > this.maxKeys) this.entry(out, '…', this.marker(`[${map.size - this.maxKeys} more keys]`));
    return finish(out, size);
  }

  /** Own enumerable string keys, into `into` when given. Enumerating is work too: every key listed costs a node. */
  private plain(value: object, depth: number, into?: Record<string, unknown>): Record<string, unknown> {
    const keys = Object.keys(value);
    this.budget.nodes += keys.length;
    this.budget.bytes += 2;
    const length = Math.min(keys.length, this.maxKeys);
    const out = into ?? newObject(length);
    for (let i = 0; i < length && !this.budget.spent; i++) this.entry(out, keys[i]!, this.read(value, keys[i]!, depth));
    if (keys.length > length) this.entry(out, '…', this.marker(`[${keys.length - length} more keys]`));
    return into ?? finish(out, length);
  }

  /** Sets `key` (as an own key, `__proto__` included) unless its value has no JSON form. */
  private entry(out: Record<string, unknown>, key: string, item: unknown): void {
    if (item === undefined) return;
    this.budget.bytes += key.length + 3;
    setOwn(out, key, item);
  }

  /** A throwing getter or Proxy trap costs only its own value. */
  private read(from: object, key: string, depth: number): unknown {
    try {
      return this.value((from as Record<string, unknown>)[key], depth + 1);
    } catch {
      return this.marker(UNSERIALIZABLE);
    }
  }

  /** {@link read} for an array's item: kept apart so that V8 sees one kind of key at each read. */
  private item(items: readonly unknown[], index: number, depth: number): unknown {
    try {
      return this.value(items[index], depth + 1);
    } catch {
      return this.marker(UNSERIALIZABLE);
    }
  }

  private string(text: string): string {
    this.budget.bytes += text.length + 2;
    return text;
  }

  private repaired<T>(value: T): T {
    this.changed = true;
    return value;
  }

  /** A string put in place of something else: a repair, and bytes. */
  private marker(text: string): string {
    this.changed = true;
    return this.string(text);
  }
}

/**
 * Walks `value` into plain, bounded JSON within the work budget that `limits.maxEventBytes`
 * implies. Never throws.
 *
 * @example
 * walk({ at: new Date(0) }, { maxStringLength: 8192 })
 * // → { value: { at: '1970-01-01T00:00:00.000Z' }, changed: true, atLeastBytes: undefined }
 */
export function walk(value: unknown, limits: SanitizeLimits): Walked {
  const budget = new WorkBudget(limits.maxEventBytes);
  try {
    const walker = new Walker(limits, budget);
    const result = walker.value(value, 0);
    if (!budget.spent) return { value: result, changed: walker.changed, atLeastBytes: undefined };
  } catch {
    // Nothing above throws by design; a bug here must still not reach log()'s caller.
    return { value: undefined, changed: true, atLeastBytes: undefined };
  }
  return { value: undefined, changed: true, atLeastBytes: budget.bytes };
}
