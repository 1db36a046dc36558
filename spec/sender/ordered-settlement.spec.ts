import { describe, expect, it } from '@jest/globals';
import { OrderedSettlement } from '../../src/sender/ordered-settlement.js';

describe('OrderedSettlement', () => {
  it('holds a later batch’s settlements until every earlier batch is done', () => {
    const order = new OrderedSettlement();
    const log: string[] = [];
    const [a, b, c] = [order.take(), order.take(), order.take()];
    order.settle(c, () => log.push('c'));
    order.done(c);
    order.settle(b, () => log.push('b1'));
    expect(log).toEqual([]);
    order.settle(a, () => log.push('a1')); // the head settles at once
    order.settle(a, () => log.push('a2'));
    expect(log).toEqual(['a1', 'a2']);
    order.done(a); // b becomes the head: its held settlement runs; c is done but waits for b
    expect(log).toEqual(['a1', 'a2', 'b1']);
    order.settle(b, () => log.push('b2'));
    order.done(b);
    expect(log).toEqual(['a1', 'a2', 'b1', 'b2', 'c']);
  });

  it('a batch alone settles immediately', () => {
    const order = new OrderedSettlement();
    const ticket = order.take();
    let settled = false;
    order.settle(ticket, () => (settled = true));
    expect(settled).toBe(true);
    order.done(ticket);
    const next = order.take();
    order.settle(next, () => (settled = false));
    expect(settled).toBe(false);
  });
});
