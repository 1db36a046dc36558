import type { Logger } from './options.js';

/**
 * The user's logger, made safe to call from anywhere inside the reporter: a logger that throws
 * (or a `warn` that is a throwing getter) loses that one line, never reaches the application's
 * stack, and never stops the reporter's own work half-way.
 */
export function safeLogger(logger: Logger): Logger {
  const safe: Logger = {
    warn(message) {
      try {
        logger.warn(message);
      } catch {
        // Nowhere left to report it: the logger is where reports go.
      }
    },
  };
  let debug: unknown;
  try {
    debug = logger.debug;
  } catch {
    // A throwing getter: debug lines go to warn.
  }
  if (typeof debug !== 'function') return safe;
  safe.debug = (message) => {
    try {
      logger.debug?.(message);
    } catch {
      // As for warn.
    }
  };
  return safe;
}

/**
 * The user's random source, made total: a throw, or anything but a number in [0, 1), falls back
 * to `Math.random` for that draw, and the logger hears of it once. Sampling and retry jitter draw
 * from it inside the pipeline, where a throw would otherwise end the reporter.
 */
export function safeRandom(random: () => number, logger: Logger): () => number {
  let told = false;
  const fallback = (why: string): number => {
    if (!told) {
      told = true;
      logger.warn(`the \`random\` option ${why}; using Math.random instead where it does`);
    }
    return Math.random();
  };
  return () => {
    let value: unknown;
    try {
      value = random();
    } catch {
      return fallback('threw');
    }
    return typeof value === 'number' && value >= 0 && value < 1 ? value : fallback('returned a value outside [0, 1)');
  };
}
