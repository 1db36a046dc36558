import { RxtelError } from './rxtel-error.js';

/**
 * A reporter option is invalid. The message names the option and echoes the bad value, so the
 * user can fix the call site: ``Invalid option `maxBatchSize`: expected an integer ≥ 1, got `0` (number)``.
 * Secrets (the API key) are never echoed.
 */
export class ConfigError extends RxtelError {
  /** The option's path, for example `maxBatchSize` or `sinks.0`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message, 'ERR_RXTEL_CONFIG');
    this.name = 'ConfigError';
    this.option = option;
  }
}
