// An LLM agent loop: each turn is a span with the tool calls as child spans, and each model
// call a typed `generation` event. The model and the tool are stand-ins, so it runs offline.
// Run by CI against the embedded receiver (scripts/run-examples.mjs), compiled with tsc --strict.
import assert from 'node:assert/strict';
import { createReporter, startReceiver, type Reporter } from 'rxtel';

interface ModelReply { readonly text: string; readonly toolCall?: string; readonly usage: { input_tokens: number; output_tokens: number } }

/** A stand-in for the model: asks for the weather tool once, then answers. */
async function callModel(prompt: string, turn: number): Promise<ModelReply> {
  return turn === 0
    ? { text: '', toolCall: 'weather', usage: { input_tokens: prompt.length, output_tokens: 5 } }
    : { text: 'Sunny, 21 °C.', usage: { input_tokens: prompt.length + 20, output_tokens: 7 } };
}

async function runAgent(reporter: Reporter, question: string): Promise<string> {
  const chat = reporter.with({ correlationId: 'chat-1' });
  for (let turn = 0; turn < 4; turn++) {
    const span = chat.startSpan('agent.turn', { attributes: { turn } });
    const start_time = new Date().toISOString();
    const reply = await callModel(question, turn);
    chat.track({ type: 'generation', model: 'stand-in-1', input: question, output: reply.text, usage: reply.usage, start_time, end_time: new Date().toISOString() });
    if (reply.toolCall !== undefined) {
      const tool = span.child(`tool.${reply.toolCall}`);
      chat.track({ type: 'tool_called', tool: reply.toolCall, latency_ms: 3, success: true });
      tool.end({ status: 'ok' });
      span.end({ status: 'ok' });
      continue;
    }
    span.end({ status: 'ok' });
    chat.track({ type: 'round_completed', chat_id: 'chat-1', round: turn, status: 'ok', latency_ms: 10, usage: reply.usage });
    return reply.text;
  }
  throw new Error('the agent did not answer within 4 turns');
}

const receiver = await startReceiver({ port: 0, host: '127.0.0.1' });
const reporter = createReporter({ endpoint: receiver.url, enabled: true });
const answer = await runAgent(reporter, 'What is the weather in Lisbon?');
const delivered = await reporter.stop(5_000);
await receiver.close();

const generic = receiver.events.flatMap((e) => (e.event === 'GENERIC_EVENT' ? [e] : []));
const names = generic.map((e) => e.event_name);
assert.equal(delivered, true, 'stop() did not deliver everything');
assert.equal(answer, 'Sunny, 21 °C.');
assert.deepEqual(names, ['llm.generation', 'llm.tool.called', 'span', 'span', 'llm.generation', 'span', 'llm.round.completed']);
const spans = generic.filter((e) => e.event_name === 'span').map((e) => e.event_data as { name: string; trace_id: string; span_id: string; parent_span_id?: string });
const [tool, firstTurn] = spans;
assert.ok(tool !== undefined && firstTurn !== undefined);
assert.equal(tool.parent_span_id, firstTurn.span_id, 'the tool span is not a child of its turn');
assert.equal(tool.trace_id, firstTurn.trace_id);
assert.ok(generic.every((e) => (e.event_data as { correlation_id?: string }).correlation_id === 'chat-1'), 'an event lost its correlation id');
console.log(`agent loop: answered "${answer}" in ${spans.filter((s) => s.name === 'agent.turn').length} turns, ${generic.length} events delivered`);
