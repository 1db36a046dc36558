// Type-checked (not run) inside the CommonJS project: the `types` of the exports map must serve
// a `require` resolution, both as an ES import (compiled to require) and as `import = require`.
import { createReporter, type Reporter, type ReporterOptions } from 'rxtel';
import rxtel = require('rxtel');

const options: ReporterOptions = { endpoint: 'http://127.0.0.1:4318', flushIntervalMs: 0 };
export const reporter: Reporter = createReporter(options);
export const stopped: Promise<boolean> = reporter.stop();
export const receiver: Promise<rxtel.Receiver> = rxtel.startReceiver({ port: 0 });
// @ts-expect-error: the types are real, not `any`: an unknown option is refused.
export const refused = rxtel.createReporter({ endpoint: 'http://127.0.0.1:4318', noSuchOption: 1 });
