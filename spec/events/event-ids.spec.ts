import { describe, expect, it } from '@jest/globals';
import { eventId } from '../../src/events/event-ids.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('eventId', () => {
  it('makes version 4 UUIDs, as crypto.randomUUID does, and never the same one twice across refills', () => {
    const ids = Array.from({ length: 2000 }, () => eventId());
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses every hex digit in every random position (the formatting loses no bits)', () => {
    const seen = Array.from({ length: 36 }, () => new Set<string>());
    for (let i = 0; i < 4000; i++) [...eventId()].forEach((char, at) => seen[at]?.add(char));
    const sizes = seen.map((chars) => chars.size);
    // Fixed: the dashes and the version digit; the variant digit takes 8, 9, a or b.
    expect(sizes).toEqual([...Array(8).fill(16), 1, ...Array(4).fill(16), 1, 1, 16, 16, 16, 1, 4, 16, 16, 16, 1, ...Array(12).fill(16)]);
  });

  it('is a string of its own to JSON and to equality, whatever V8 keeps underneath', () => {
    const id = eventId();
    expect(JSON.parse(JSON.stringify({ id }))).toEqual({ id });
    expect(id.length).toBe(36);
    expect(`${id}`).toBe(id);
  });
});
