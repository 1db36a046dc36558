import { describe, expect, it } from '@jest/globals';
import { inputMessagesOf, outputMessagesOf, toolPayloadOf } from '../../../src/sinks/otlp/genai-messages.js';

describe('gen_ai.input.messages', () => {
  it('a string is one user message with one text part', () => {
    expect(inputMessagesOf('Hi')).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]);
  });

  it('OpenAI-style chat messages: text, content parts, tool calls (arguments parsed) and tool results', () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }], name: 'ann' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'rainy, 57°F' },
    ];
    expect(inputMessagesOf(messages)).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Weather?' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }], name: 'ann' },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'rainy, 57°F' }] },
    ]);
    expect(inputMessagesOf({ model: 'gpt-4o', messages })).toEqual(inputMessagesOf(messages));
  });

  it('messages already in the conventions\' shape pass as they are', () => {
    const messages = [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }];
    expect(inputMessagesOf(messages)).toEqual(messages);
  });

  it.each([[{ prompt: 'x', n: 1 }], [42], [['a', 'b']], [[]]])('anything else (%j) is one text part holding its JSON', (input) => {
    expect(inputMessagesOf(input)).toEqual([{ role: 'user', parts: [{ type: 'text', content: JSON.stringify(input) }] }]);
  });
});

describe('gen_ai.output.messages', () => {
  it('a string is one assistant message; its finish reason unknown (the schema requires one)', () => {
    expect(outputMessagesOf('Rainy.')).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Rainy.' }], finish_reason: 'unknown' }]);
  });

  it('an OpenAI-style response: one message per choice, tool_calls → tool_call', () => {
    const response = {
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' },
        { index: 1, message: { role: 'assistant', content: null, tool_calls: [{ id: 'c', function: { name: 'f', arguments: 'not json' } }] }, finish_reason: 'tool_calls' },
      ],
    };
    expect(outputMessagesOf(response)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Hi' }], finish_reason: 'stop' },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c', name: 'f', arguments: 'not json' }], finish_reason: 'tool_call' },
    ]);
  });

  it('a message or a list of them, keeping a finish_reason they carry', () => {
    expect(outputMessagesOf({ role: 'assistant', content: 'x' })).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'x' }], finish_reason: 'unknown' }]);
    expect(outputMessagesOf([{ role: 'assistant', parts: [{ type: 'text', content: 'y' }], finish_reason: 'length' }])).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'y' }], finish_reason: 'length' },
    ]);
  });

  it('anything else is one text part holding its JSON', () => {
    expect(outputMessagesOf({ answer: 42 })).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: '{"answer":42}' }], finish_reason: 'unknown' }]);
  });
});

describe('tool payloads', () => {
  it.each<[unknown, unknown]>([
    ['{"a":1}', { a: 1 }],
    [' [1,2]', [1, 2]],
    ['{broken', '{broken'],
    ['plain', 'plain'],
    [{ a: 1 }, { a: 1 }],
    [7, 7],
  ])('%j → %j', (value, expected) => {
    expect(toolPayloadOf(value)).toEqual(expected);
  });
});
