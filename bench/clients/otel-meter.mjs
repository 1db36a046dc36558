/**
 * A minimal OpenTelemetry MeterProvider that only sums counter increments in memory, so the bench
 * can read the SDK's own self-observability counters without pulling in @opentelemetry/sdk-metrics.
 * Implements the @opentelemetry/api Meter surface the SDK calls; everything else is a no-op.
 */

/** @returns {{ provider: any, sum: (name: string, where?: (attrs: Record<string, unknown>) => boolean) => number }} */
export function countingMeterProvider() {
  /** @type {{ name: string, value: number, attrs: Record<string, unknown> }[]} */
  const adds = [];
  const noop = () => undefined;
  const counter = (/** @type {string} */ name) => ({
    add: (/** @type {number} */ value, /** @type {Record<string, unknown>} */ attrs = {}) => {
      const row = adds.find((r) => r.name === name && (r.attrs === attrs || sameAttrs(r.attrs, attrs)));
      if (row === undefined) adds.push({ name, value, attrs });
      else row.value += value;
    },
    record: noop,
  });
  const observable = () => ({ addCallback: noop, removeCallback: noop });
  const meter = {
    createCounter: counter,
    createUpDownCounter: counter,
    createHistogram: counter,
    createGauge: counter,
    createObservableCounter: observable,
    createObservableUpDownCounter: observable,
    createObservableGauge: observable,
    addBatchObservableCallback: noop,
    removeBatchObservableCallback: noop,
  };
  return {
    provider: { getMeter: () => meter },
    sum: (name, where = () => true) => adds.filter((r) => r.name === name && where(r.attrs)).reduce((total, r) => total + r.value, 0),
  };
}

/** @param {Record<string, unknown>} a @param {Record<string, unknown>} b */
function sameAttrs(a, b) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
