/**
 * Writing a caller's key into an object we build. `copy[key] = value` is not a plain write for
 * every key: `__proto__` is an accessor on `Object.prototype`, so assigning it replaces the
 * copy's prototype instead of adding a key. The key vanishes from the JSON, and a `__proto__`
 * subtree's keys show through at the top level to anything that enumerates inherited keys
 * (`for…in`). `constructor` and `prototype` are ordinary keys for an assignment, but they come
 * through here too so that every copy of user data takes the same road.
 */

const PROTO = '__proto__';

/**
 * Sets `key` on `target` as an own, enumerable data property, whatever its name.
 *
 * @example
 * const copy: Record<string, unknown> = {};
 * setOwn(copy, '__proto__', { password: 'x' });
 * Object.keys(copy) // → ['__proto__'], and Object.getPrototypeOf(copy) is still Object.prototype
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === PROTO) {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
