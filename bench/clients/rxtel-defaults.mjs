/**
 * rxtel with every option at its default and a sink that discards each batch: what `log()` costs
 * on its own, for the hostile-input scenario (no network, no server).
 */
import { createReporter } from '../../dist/index.js';
import { EVENT_NAME, eventProperties } from '../settings.mjs';

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'rxtel-defaults',
  protocol: 'none',
  create() {
    const discard = { name: 'discard', export: async () => ({ status: /** @type {const} */ ('success') }), shutdown: async () => undefined };
    const reporter = createReporter({ sinks: [discard], attachEvents: false });
    return {
      log: () => void reporter.log(EVENT_NAME, eventProperties()),
      logData: (name, data) => reporter.log(name, data),
      logException: (error) => reporter.logException(error),
      stats: () => reporter.stats(),
      shutdown: async () => void (await reporter.stop()),
      held: () => ({ held: reporter.stats().queued, dropped: null, how: 'reporter.stats().queued' }),
      options: { sinks: '[a sink that discards]', attachEvents: false, others: 'defaults (maxEventBytes 65536, maxStringLength 8192, …)' },
    };
  },
};
