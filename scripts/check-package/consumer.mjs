// An ES module application: named imports are checked when the module links.
import { createReporter, startReceiver, VERSION } from 'rxtel';
import exercise from './exercise.cjs';

try {
  await exercise({ createReporter, startReceiver, VERSION }, 'import');
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
