// Type-checked (not run) inside the ESM project: the `types` of the exports map for an `import`.
import ky from 'ky';
import { createReporter, startReceiver, TinkerHttpSink, type Receiver, type Reporter, type ReporterOptions } from 'rxtel';

const options: ReporterOptions = { endpoint: 'http://127.0.0.1:4318', flushIntervalMs: 0 };
export const reporter: Reporter = createReporter(options);
export const stopped: Promise<boolean> = reporter.stop();
export const receiver: Promise<Receiver> = startReceiver({ port: 0 });
// @ts-expect-error: the types are real, not `any`: an unknown option is refused.
export const refused = createReporter({ endpoint: 'http://127.0.0.1:4318', noSuchOption: 1 });
// A sink takes the user's own ky instance, typed as ky's.
export const viaKy = new TinkerHttpSink({ endpoint: 'http://127.0.0.1:4318', ky: ky.create({ hooks: { beforeRequest: [] } }) });
