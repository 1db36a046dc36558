// An ES module application: named imports are checked when the module links.
import { createReporter, startReceiver, TinkerHttpSink, VERSION } from 'rxtel';
import ky from 'ky';
import exercise from './exercise.cjs';

try {
  await exercise({ createReporter, startReceiver, TinkerHttpSink, VERSION }, 'import', ky);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
