import { mergeMap, subscribeOn, type Observable } from 'rxjs';
import { batchEvents } from './batcher/batch.js';
import { Counters } from './stats/counters.js';
import { SuppressedNames } from './stats/suppressed.js';
import { DebugLog } from './stats/debug-log.js';
import { telemetry } from './bus/telemetry.js';
import type { ReporterOptions } from './config/options.js';
import { parseOptions, type ResolvedConfig } from './config/parse-options.js';
import type { EventRecord } from './events/event-record.js';
import { DurableSpool } from './reporter/durable-spool.js';
import { Spool } from './spool/spool.js';
import { createInbox } from './inbox/commands.js';
import { HealthMonitor } from './observability/health.js';
import { ShutdownState } from './sender/shutdown-state.js';
import { buildPipeline } from './pipeline/pipeline.js';
import { DisabledCore } from './reporter/core.js';
import { LiveCore } from './reporter/live-core.js';
import { RxtelReporter } from './reporter/reporter.js';
import { EventReplay } from './reporter/replay.js';
import type { Reporter } from './reporter/types.js';
import { createSender } from './sender/send-batch.js';
import type { Sink } from './sinks/sink.js';
import { TinkerHttpSink } from './sinks/tinker-http-sink.js';

/**
 * Creates a reporter. Options are parsed once; a bad one throws a `ConfigError` that names the
 * option and the value. A disabled configuration (`enabled: false`, or env `RXTEL_TELEMETRY=0`)
 * returns a no-op reporter with no timers and no network.
 *
 * @example
 * ```ts
 * const reporter = createReporter({ endpoint: 'http://127.0.0.1:4318', apiKey: process.env.RXTEL_API_KEY });
 * reporter.log('user.action', { button: 'submit' });
 * await reporter.stop();
 * ```
 */
export function createReporter(options: ReporterOptions = {}): Reporter {
  const config = parseOptions(options);
  if (!config.enabled) return new RxtelReporter(new DisabledCore(config.sessionId));

  const sinks: readonly Sink[] = config.sinks ?? [
    new TinkerHttpSink({ endpoint: config.endpoint!, apiKey: config.apiKey, timeoutMs: config.httpTimeoutMs, now: () => config.scheduler.now() }),
  ];
  const counters = new Counters();
  // The diagnostic switch: built only when on, so that off costs nothing but an unset hook.
  const debugLog = config.debug ? new DebugLog(config.logger, config.scheduler) : undefined;
  if (debugLog !== undefined) counters.onRefuse = (record, reason) => debugLog.refused(record, reason);
  const shutdown = new ShutdownState();
  const inbox = createInbox();
  const suppressed = new SuppressedNames();
  const monitor = new HealthMonitor({ ...config, inbox, counters, suppressed, sinkEvents: sinks.length > 1 });
  let durable: DurableSpool | undefined;
  const sender = createSender({
    ...config,
    sinks,
    counters,
    shutdown,
    debugLog,
    onSinkHealth: (change) => monitor.sinkChanged(change),
    ...(config.spool === undefined ? {} : { onSinkDone: (record: EventRecord, sink: string) => durable?.done(record, sink), retryUntilStopped: true }),
  });
  if (config.spool !== undefined) durable = openDurableSpool(config, config.spool, sinks, counters, shutdown, (batch) => sender(batch).pipe(subscribeOn(config.scheduler)));
  const replay = new EventReplay(config.replayBufferSize);
  const { admitted$, pending } = buildPipeline(inbox, {
    ...config,
    counters,
    suppressed,
    durability: durable,
    isStopping: () => shutdown.stopping,
    onAccepted: (record) => replay.push(record),
  });
  const pipeline$ = admitted$.pipe(
    batchEvents({ ...config, pending }),
    // Sending starts on the next turn: the log() call that completes a batch pays for the cut only.
    // Each sink bounds its own concurrency; here every batch goes on at once, so a slow sink cannot hold the others' batches back.
    mergeMap((batch) => sender(batch).pipe(subscribeOn(config.scheduler))),
  );
  const reporter = new RxtelReporter(new LiveCore({ config, inbox, counters, shutdown, sinks, sender, monitor, replay, pipeline$, durable }));
  if (config.attachEvents) reporter.attach(telemetry.events$, { events: config.events });
  return reporter;
}

/** The durable spool on `spool.dir`, and the adapter the stages use; `stats().spool` shows it. */
function openDurableSpool(
  config: ResolvedConfig,
  options: NonNullable<ResolvedConfig['spool']>,
  sinks: readonly Sink[],
  counters: Counters,
  shutdown: ShutdownState,
  send: (batch: EventRecord[]) => Observable<never>,
): DurableSpool {
  const spool = Spool.open({
    ...options,
    // A record is one event's wire JSON and its session: bounded by maxEventBytes, plus the envelope.
    maxRecordBytes: config.maxEventBytes * 6 + 64 * 1024,
    sinks: sinks.map((sink) => sink.name),
    scheduler: config.scheduler,
    logger: config.logger,
  });
  const durable = new DurableSpool({
    spool,
    sessionId: config.sessionId,
    sinks: sinks.map((sink) => sink.name),
    counters,
    shutdown,
    now: () => config.scheduler.now(),
    scheduler: config.scheduler,
    maxBatchSize: config.maxBatchSize,
    maxQueueSize: config.maxQueueSize,
    terminalReserve: config.terminalReserve,
    send,
  });
  counters.spoolStats = () => {
    const { bytes, segments, oldestUnreleasedAtMs, fallback, backlog } = spool.stats();
    const oldestUnsentAgeMs = oldestUnreleasedAtMs === undefined ? undefined : Math.max(0, config.scheduler.now() - oldestUnreleasedAtMs);
    return { bytes, segments, oldestUnsentAgeMs, skipped: counters.spoolSkipped, fallback, backlog, recovering: durable.recovering };
  };
  return durable;
}
