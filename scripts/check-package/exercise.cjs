'use strict';
// What a user does first with the installed package: report a few events to the embedded receiver
// and stop. Shared by the CommonJS and the ESM consumer, so the two differ only in how they load
// rxtel. Any failed assertion rejects, and the consumer exits non-zero.
const assert = require('node:assert/strict');

module.exports = async function exercise(rxtel, how, ky) {
  const { createReporter, startReceiver, TinkerHttpSink, VERSION } = rxtel;
  assert.equal(typeof createReporter, 'function', `${how}: createReporter is not exported`);
  assert.equal(typeof startReceiver, 'function', `${how}: startReceiver is not exported`);

  const apiKey = 'check-package-key';
  // The receiver answers 401 without this key, so a delivered event also proves the header was sent.
  const receiver = await startReceiver({ port: 0, host: '127.0.0.1', apiKey });
  try {
    // `enabled: true` so that an RXTEL_TELEMETRY=0 in the CI environment cannot turn the check into a no-op.
    const reporter = createReporter({ endpoint: receiver.url, apiKey, enabled: true, attachEvents: false });
    const names = ['package.check.one', 'package.check.two', 'package.check.three'];
    for (const name of names) assert.equal(reporter.log(name, { how }), true, `${how}: log('${name}') was refused`);

    const delivered = await reporter.stop(10_000);
    assert.equal(delivered, true, `${how}: stop() resolved false (not everything was delivered)`);

    const kinds = receiver.events.map((event) => event.event);
    assert.deepEqual(kinds, ['SESSION_START', 'GENERIC_EVENT', 'GENERIC_EVENT', 'GENERIC_EVENT', 'SESSION_END'], `${how}: the receiver stored other events`);
    const generic = receiver.events.filter((event) => event.event === 'GENERIC_EVENT');
    assert.deepEqual(generic.map((event) => event.event_name), names);
    assert.deepEqual(generic.map((event) => event.event_data), names.map(() => ({ how })));
    assert.ok(receiver.events.every((event) => event.session_id === reporter.sessionId), `${how}: a foreign session id`);
    console.log(`${how}: rxtel ${VERSION} delivered ${receiver.events.length} events, stop() → ${delivered}`);

    // The same through the user's own ky instance: its hook sees every request of the sink.
    const seen = [];
    const api = ky.create({ hooks: { beforeRequest: [(request) => void seen.push(new URL(request.url).pathname)] } });
    const throughKy = createReporter({ sinks: [new TinkerHttpSink({ endpoint: receiver.url, apiKey, ky: api })], enabled: true, attachEvents: false });
    assert.equal(throughKy.log('package.check.ky', { how }), true, `${how}: log() through ky was refused`);
    assert.equal(await throughKy.stop(10_000), true, `${how}: stop() through ky resolved false`);
    assert.ok(seen.length >= 1 && seen.every((path) => path === '/api/v1/telemetry'), `${how}: the ky hook saw ${JSON.stringify(seen)}`);
    assert.ok(receiver.events.some((event) => event.event_name === 'package.check.ky'), `${how}: the event sent through ky did not arrive`);
    console.log(`${how}: a sink given ky.create({ hooks }) sent ${seen.length} request(s) through it`);
  } finally {
    await receiver.close();
  }
};
