/**
 * Turns whatever a caller passes as `event_data` into plain, bounded JSON (DESIGN §3). Runs on
 * every `log()`, so the common case — a flat object of strings, numbers and booleans — is checked
 * in one loop and returned as it is; everything else is copied by a walker that cannot throw.
 */

export interface SanitizeLimits {
  /** Longest string kept; longer ones are cut and end in `…[truncated N chars]`. */
  readonly maxStringLength: number;
  /** Nesting deeper than this becomes `"[MaxDepth]"`. @defaultValue 10 */
  readonly maxDepth?: number;
  /** Keys kept per object. @defaultValue 1000 */
  readonly maxKeys?: number;
  /** Items kept per array. @defaultValue 1000 */
  readonly maxArrayLength?: number;
}

export interface Sanitized {
  readonly data: Record<string, unknown>;
  /** `true` when the output differs from the input in any way (a repair to count). */
  readonly changed: boolean;
}

/** Cuts `text` to `max` characters with a visible marker saying how much was removed. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[truncated ${text.length - max} chars]`;
}

const UNSERIALIZABLE = '[Unserializable]';

/**
 * The fast path: a plain object of at most 64 JSON-safe primitives is copied in one loop (a copy,
 * so the queue keeps a snapshot, not the caller's live object). `undefined` when anything needs
 * the walker — including a getter that throws, which the walker then confines to its own key.
 */
function copyFlat(value: object, maxStringLength: number): Record<string, unknown> | undefined {
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return undefined;
    let keys = 0;
    for (const key in value) {
      if (++keys > 64) return undefined;
      const item = (value as Record<string, unknown>)[key];
      const type = typeof item;
      if (type === 'string') {
        if ((item as string).length > maxStringLength) return undefined;
      } else if (type === 'number') {
        if (!Number.isFinite(item)) return undefined;
      } else if (type !== 'boolean' && item !== null) {
        return undefined;
      }
    }
    // Checking first and copying with a spread is several times faster than building the copy
    // key by key (V8 clones the shape). Symbol keys come along; JSON ignores them.
    return { ...(value as Record<string, unknown>) };
  } catch {
    return undefined;
  }
}

class Walker {
  changed = false;
  private readonly ancestors: object[] = [];
  private readonly maxDepth: number;
  private readonly maxKeys: number;
  private readonly maxArrayLength: number;

  constructor(private readonly limits: SanitizeLimits) {
    this.maxDepth = limits.maxDepth ?? 10;
    this.maxKeys = limits.maxKeys ?? 1000;
    this.maxArrayLength = limits.maxArrayLength ?? 1000;
  }

  /** The JSON form of `value`, or `undefined` when it has none (functions, symbols, undefined). */
  value(value: unknown, depth: number): unknown {
    switch (typeof value) {
      case 'string':
        if (value.length <= this.limits.maxStringLength) return value;
        this.changed = true;
        return truncate(value, this.limits.maxStringLength);
      case 'number':
        if (Number.isFinite(value)) return value;
        this.changed = true;
        return String(value);
      case 'boolean':
        return value;
      case 'bigint':
        this.changed = true;
        return value.toString();
      case 'object':
        return value === null ? null : this.object(value, depth);
      default: // function, symbol, undefined
        this.changed = true;
        return undefined;
    }
  }

  private object(value: object, depth: number): unknown {
    if (this.ancestors.includes(value)) return this.repaired('[Circular]');
    if (depth >= this.maxDepth) return this.repaired('[MaxDepth]');
    this.ancestors.push(value);
    try {
      return this.special(value, depth);
    } catch {
      return this.repaired(UNSERIALIZABLE);
    } finally {
      this.ancestors.pop();
    }
  }

  private special(value: object, depth: number): unknown {
    if (Array.isArray(value)) return this.array(value, depth);
    if (value instanceof Date) return this.repaired(Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString());
    if (value instanceof Error) return this.error(value, depth);
    if (value instanceof Map) {
      this.changed = true;
      const entries: Record<string, unknown> = {};
      for (const [key, item] of value) entries[String(key)] = item;
      return this.plain(entries, depth);
    }
    if (value instanceof Set) return this.repairedWith(() => this.array([...value], depth));
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) {
      return this.repaired(`[Binary ${value.byteLength} bytes]`);
    }
    if (value instanceof RegExp) return this.repaired(String(value));
    if (value instanceof URL) return this.repaired(value.href);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      this.changed = true;
      const json: unknown = toJSON.call(value);
      return json === value ? this.plain(value, depth) : this.value(json, depth);
    }
    return this.plain(value, depth);
  }

  private error(error: Error, depth: number): Record<string, unknown> {
    this.changed = true;
    const out: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
    Object.assign(out, this.plain(error, depth));
    if ('cause' in error && error.cause !== undefined) out['cause'] = this.value(error.cause, depth + 1);
    for (const key of ['name', 'message', 'stack']) out[key] = this.value(out[key], depth + 1);
    if (out['stack'] === undefined) delete out['stack'];
    return out;
  }

  private array(items: readonly unknown[], depth: number): unknown[] {
    const length = Math.min(items.length, this.maxArrayLength);
    const out: unknown[] = new Array(length);
    for (let i = 0; i < length; i++) {
      const item = this.guarded(() => this.value(items[i], depth + 1));
      out[i] = item === undefined ? null : item;
    }
    if (items.length > length) out.push(this.repaired(`[${items.length - length} more items]`));
    return out;
  }

  private plain(value: object, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(value);
    const length = Math.min(keys.length, this.maxKeys);
    for (let i = 0; i < length; i++) {
      const key = keys[i]!;
      const item = this.guarded(() => this.value((value as Record<string, unknown>)[key], depth + 1));
      if (item !== undefined) out[key] = item;
    }
    if (keys.length > length) out['…'] = this.repaired(`[${keys.length - length} more keys]`);
    return out;
  }

  /** A throwing getter, toJSON or Proxy trap costs only its own value. */
  private guarded(read: () => unknown): unknown {
    try {
      return read();
    } catch {
      return this.repaired(UNSERIALIZABLE);
    }
  }

  private repaired<T>(value: T): T {
    this.changed = true;
    return value;
  }

  private repairedWith<T>(make: () => T): T {
    this.changed = true;
    return make();
  }
}

/**
 * Makes `value` safe to queue and serialise: plain JSON, strings and nesting bounded, cycles cut.
 * Never throws. A top-level value that is not an object is wrapped as `{ value }`.
 *
 * @example
 * sanitizeEventData({ n: 10n, at: new Date(0) }, { maxStringLength: 8192 })
 * // → { data: { n: '10', at: '1970-01-01T00:00:00.000Z' }, changed: true }
 */
export function sanitizeEventData(value: unknown, limits: SanitizeLimits): Sanitized {
  try {
    if (value === undefined || value === null) return { data: {}, changed: false };
    if (typeof value === 'object' && !Array.isArray(value)) {
      const flat = copyFlat(value, limits.maxStringLength);
      if (flat !== undefined) return { data: flat, changed: false };
    }
    const walker = new Walker(limits);
    const result = walker.value(value, 0);
    if (typeof result === 'object' && result !== null && !Array.isArray(result)) {
      return { data: result as Record<string, unknown>, changed: walker.changed };
    }
    return { data: result === undefined ? {} : { value: result }, changed: true };
  } catch {
    return { data: {}, changed: true };
  }
}
