import { RESOURCE } from '../../sinks/otlp/semconv.js';
import type { SessionClient } from '../model.js';
import { attributesOf, field, text } from './otlp-values.js';

/**
 * What an OTLP resource says about the console session and its client, by the semantic
 * conventions' resource attributes (semantic-conventions v1.44.0: `service`, `session`,
 * `telemetry`, `os`, `host`, `process` registries).
 */

/** The resource's session and client, and its attributes (for a record's own `session.id`). */
export interface ResourceContext {
  readonly session: string;
  readonly client: SessionClient;
}

/** `service.name` when a resource names none: the conventions' default. */
export const UNKNOWN_SERVICE = 'unknown_service';

/**
 * The session of a resource: its `session.id`, else `otlp:<service.name>:<service.instance.id>`,
 * else `otlp:<service.name>`. The client: `service.name`, `sdk` `<telemetry.sdk.name>
 * <telemetry.sdk.version>`, `platform` from `os.type`, `host.arch` and `process.runtime.name`
 * (with `process.runtime.version`), where present.
 *
 * @example
 * ```ts
 * resourceContext({ attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] });
 * // { session: 'otlp:api', client: { service: 'api' } }
 * ```
 */
export function resourceContext(resource: unknown): ResourceContext {
  const attributes = attributesOf(field(resource, 'attributes'));
  const read = (key: string): string | undefined => {
    const value = attributes[key];
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : text(value);
  };
  const service = read(RESOURCE.serviceName);
  const instance = read('service.instance.id');
  const session = read(RESOURCE.sessionId) ?? `otlp:${service ?? UNKNOWN_SERVICE}${instance === undefined ? '' : `:${instance}`}`;
  const sdk = [read(RESOURCE.sdkName), read(RESOURCE.sdkVersion)].filter((part) => part !== undefined).join(' ');
  const system = [read('os.type'), read('host.arch')].filter((part) => part !== undefined).join('/');
  const runtime = [read('process.runtime.name'), read('process.runtime.version')].filter((part) => part !== undefined).join(' ');
  const platform = [system, runtime].filter((part) => part !== '').join(' ');
  return {
    session,
    client: {
      ...(service === undefined ? {} : { service }),
      ...(sdk === '' ? {} : { sdk }),
      ...(platform === '' ? {} : { platform }),
    },
  };
}
