import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { classifyException, findUserError } from '../../src/events/classify-exception.js';

const SECRET = 'sk-live-do-not-leak-42';
const limits = { maxStringLength: 8192 };
const classify = (thrown: unknown) => classifyException(thrown, limits);

/** Shaped like ky's HTTPError: the request carries the API key. */
function kyLikeError(status: number, body?: unknown): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    name: 'HTTPError',
    response: { status, headers: { 'x-api-key': SECRET } },
    request: { url: 'https://api.example.com/x', headers: { 'x-api-key': SECRET } },
    options: { headers: { 'x-api-key': SECRET } },
    ...(body === undefined ? {} : { body }),
  });
}

describe('classifyException', () => {
  it('reports an Error as an exception with its name, message and stack', () => {
    const result = classify(new TypeError('boom'));
    expect(result).toMatchObject({ kind: 'exception', error_type: 'TypeError', error_message: 'boom' });
    expect(result.kind === 'exception' && result.traceback).toContain('TypeError: boom');
  });

  it('names a subclass by its class when its name is still Error', () => {
    class DbError extends Error {}
    expect(classify(new DbError('down'))).toMatchObject({ error_type: 'DbError', error_message: 'down' });
  });

  it('appends every cause to the traceback, and stops at a cycle', () => {
    const root = new Error('root');
    const top = new Error('top', { cause: new Error('middle', { cause: root }) });
    (root as { cause?: unknown }).cause = top;
    const result = classify(top);
    expect(result.kind).toBe('exception');
    const traceback = result.kind === 'exception' ? (result.traceback ?? '') : '';
    expect(traceback.match(/Caused by: /g)).toHaveLength(2);
    expect(traceback).toContain('Caused by: Error: root');
  });

  it.each([
    ['status', Object.assign(new Error('nf'), { status: 404 }), 404],
    ['statusCode', Object.assign(new Error('bad'), { statusCode: 400 }), 400],
    ['numeric string statusCode', Object.assign(new Error('gone'), { statusCode: '410' }), 410],
    ['response.status (ky HTTPError)', kyLikeError(403), 403],
  ])('finds a 4xx via %s', (_label, error, status) => {
    expect(classify(error)).toMatchObject({ kind: 'user_error', data: { status_code: status } });
  });

  it.each([408, 429, 500, 503])('%i is not a user error', (status) => {
    expect(classify(Object.assign(new Error('x'), { status })).kind).toBe('exception');
  });

  it('finds a user error three causes deep and reports that error', () => {
    const http = kyLikeError(422, { error: 'name is required' });
    const thrown = new Error('a', { cause: new Error('b', { cause: new Error('c', { cause: http }) }) });
    expect(classify(thrown)).toEqual({
      kind: 'user_error',
      data: { error_type: 'HTTPError', message: 'Request failed with status code 422', status_code: 422, body: { error: 'name is required' } },
    });
  });

  it('looks inside an AggregateError', () => {
    const aggregate = new AggregateError([new Error('fine'), Object.assign(new Error('denied'), { status: 403 })], 'many');
    expect(classify(aggregate)).toMatchObject({ kind: 'user_error', data: { message: 'denied', status_code: 403 } });
  });

  it('never copies request headers, options or the response (the API key lives there)', () => {
    for (const thrown of [kyLikeError(401, 'unauthorised'), new Error('wrap', { cause: kyLikeError(500) })]) {
      const result = classify(thrown);
      expect(JSON.stringify(result)).not.toContain(SECRET);
      expect(inspect(result, { depth: 10 })).not.toContain(SECRET);
    }
  });

  it('keeps a string body, truncated', () => {
    const result = classifyException(Object.assign(new Error('x'), { status: 400, responseBody: 'y'.repeat(100) }), { maxStringLength: 20 });
    expect(result.kind === 'user_error' && result.data.body).toBe(`${'y'.repeat(20)}…[truncated 80 chars]`);
  });

  it('terminates on a cause graph larger than it looks at', () => {
    let error = new Error('leaf');
    for (let i = 0; i < 100; i++) error = new Error(`level ${i}`, { cause: error });
    expect(() => classify(error)).not.toThrow();
    const result = classify(error);
    expect(result.kind === 'exception' && (result.traceback ?? '').split('Caused by:').length).toBeLessThanOrEqual(32);
  });

  it.each([
    ['a string', 'oops', 'string', 'oops'],
    ['null', null, 'null', 'null'],
    ['undefined', undefined, 'undefined', 'undefined'],
    ['a number', 42, 'number', '42'],
    ['a boolean', true, 'boolean', 'true'],
    ['an object with a message', { message: 'x' }, 'object', 'x'],
    ['a plain object', { a: 1 }, 'object', '{"a":1}'],
  ])('reports %s thrown', (_label, thrown, type, message) => {
    expect(classify(thrown)).toMatchObject({ kind: 'exception', error_type: type, error_message: message });
  });

  it('survives hostile throwables', () => {
    const trap = () => {
      throw new Error('trap');
    };
    const proxy = new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap, getOwnPropertyDescriptor: trap });
    const badName = Object.defineProperty(new Error('m'), 'name', { get: trap });
    for (const thrown of [proxy, badName, Object.create(null)]) {
      expect(() => classify(thrown)).not.toThrow();
      expect(classify(thrown).kind).toBe('exception');
    }
  });

  it('truncates long messages', () => {
    const result = classifyException(new Error('z'.repeat(50)), { maxStringLength: 16 });
    expect(result.kind === 'exception' && result.error_message).toBe(`${'z'.repeat(16)}…[truncated 34 chars]`);
  });
});

describe('classifyException: a hostile throwable costs bounded work and bounded strings', () => {
  const small = { maxStringLength: 64 };
  const lengths = (result: ReturnType<typeof classifyException>) =>
    result.kind === 'exception' ? [result.error_type.length, result.error_message.length, (result.traceback ?? '').length] : [];

  it('a name, constructor name or stack of 10 million characters is cut, in every node of a 32-node chain', () => {
    const huge = 'n'.repeat(10_000_000);
    let error: Error = Object.defineProperty(new Error('m'.repeat(10_000_000)), 'name', { value: huge });
    for (let i = 0; i < 40; i++) error = Object.defineProperty(new Error(`level ${i}`, { cause: error }), 'stack', { get: () => huge });
    const [type, message, traceback] = lengths(classifyException(error, small));
    expect(type).toBeLessThanOrEqual(64);
    expect(message).toBeLessThan(100);
    expect(traceback).toBeLessThan(64 * 4 + 40);
    const named = lengths(classifyException(Object.defineProperty(new Error('x'), 'name', { get: () => huge }), small));
    expect(named[0]).toBeLessThan(100);
  });

  it('a thrown BigInt of 10 million bits or a function with a long source is bounded', () => {
    expect(classifyException(1n << 10_000_000n, small)).toMatchObject({ error_type: 'bigint', error_message: '[BigInt over 4096 bits]' });
    const fn = new Function(`return ${'1 + '.repeat(250_000)}1;`);
    expect(lengths(classifyException(fn, small))[1]).toBeLessThan(100);
  });

  it('a cyclic cause chain of throwing getters terminates', () => {
    const trap = () => {
      throw new Error('trap');
    };
    const a: Error = Object.defineProperty(new Error('a'), 'stack', { get: trap });
    const b = new Error('b', { cause: a });
    Object.defineProperty(a, 'cause', { get: () => b });
    const result = classify(b);
    expect(result.kind).toBe('exception');
    expect(result.kind === 'exception' && result.traceback).toContain('Caused by: Error: a');
  });
});

describe('findUserError', () => {
  it('returns the node and its status, or undefined', () => {
    const http = Object.assign(new Error('nf'), { status: 404 });
    expect(findUserError(new Error('x', { cause: http }))).toEqual({ error: http, status: 404 });
    expect(findUserError(new Error('x'))).toBeUndefined();
    expect(findUserError(null)).toBeUndefined();
  });
});
