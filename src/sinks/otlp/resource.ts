import { z } from 'zod';
import { executableName, processId } from '../../platform/node.js';
import { nonEmptyString } from '../../schema/fields.js';
import { parseOptionsWith } from '../../schema/parse.js';
import { VERSION } from '../../version.js';
import { keyValue, type KeyValue } from './any-value.js';
import { RESOURCE, SDK_LANGUAGE_NODEJS, SDK_NAME } from './semconv.js';

/** An OTLP `Resource` (opentelemetry-proto v1.11.0 `resource.proto`), JSON mapping. */
export interface OtlpResource {
  readonly attributes: readonly KeyValue[];
}

/** A resource attribute's value. */
export type OtlpResourceValue = string | number | boolean;

const RESOURCE_VALUE = 'expected a string, a finite number or a boolean';

/**
 * What a user says about the resource: the resource options of the OTLP sink, declared once here
 * and taken into `OtlpHttpSinkOptions`.
 */
export const ResourceOptions = z.strictObject({
  resource: z
    .record(nonEmptyString('expected a non-empty attribute name'), z.union([z.string(), z.number(), z.boolean()], { error: RESOURCE_VALUE }), {
      error: 'expected an object of attribute names to strings, numbers or booleans',
    })
    .optional(),
  serviceName: nonEmptyString().optional(),
  serviceVersion: nonEmptyString().optional(),
});
export type ResourceOptions = z.input<typeof ResourceOptions>;

/** What the environment says about the resource (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`), already decoded. */
export interface ResourceFromEnv {
  readonly serviceName?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** The attributes that are the sink's to set: a user's entry with one of these keys is ignored. */
const OWN_KEYS = new Set<string>([RESOURCE.sessionId, RESOURCE.processPid, RESOURCE.sdkName, RESOURCE.sdkLanguage, RESOURCE.sdkVersion]);
const SERVICE_KEYS = new Set<string>([RESOURCE.serviceName, RESOURCE.serviceVersion]);

/**
 * A resource from attributes, in their order.
 *
 * @example
 * ```ts
 * resourceOf({ 'service.name': 'trainer', 'process.pid': 42 });
 * // { attributes: [{ key: 'service.name', value: { stringValue: 'trainer' } }, { key: 'process.pid', value: { intValue: '42' } }] }
 * ```
 */
export function resourceOf(attributes: Readonly<Record<string, OtlpResourceValue>>): OtlpResource {
  return { attributes: Object.keys(attributes).map((key) => keyValue(key, attributes[key])) };
}

/**
 * Checks the resource options (a `ConfigError` naming the bad one) and returns the resource of a
 * session, in this order:
 *
 * - `service.name`: `serviceName`, else `resource['service.name']`, else `OTEL_SERVICE_NAME`, else
 *   `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, else `unknown_service:<executable>` (the
 *   conventions' fallback, `unknown_service:node`); `service.version` likewise (omitted when unset);
 * - `telemetry.sdk.name` `rxtel`, `telemetry.sdk.language` `nodejs`, `telemetry.sdk.version` rxtel's
 *   version (required for an SDK's resource);
 * - `session.id`, `process.pid`;
 * - then the other attributes of `OTEL_RESOURCE_ATTRIBUTES` and of `resource` (an option wins over
 *   the environment). The sink's own keys there are ignored.
 *
 * The last session's resource is kept, since every batch of a reporter has the same.
 *
 * @example
 * ```ts
 * const resourceFor = resourceFactory({ serviceName: 'trainer' }, { attributes: { 'deployment.environment.name': 'prod' } });
 * const resource = resourceFor(sessionId);
 * ```
 */
export function resourceFactory(options: ResourceOptions, fromEnv: ResourceFromEnv = {}): (sessionId: string) => OtlpResource {
  // Parsed here too, so that the encoder is safe on its own; from the sink, these are already checked.
  const { resource = {}, serviceName, serviceVersion } = parseOptionsWith(ResourceOptions, options, { owner: 'OtlpHttpSink' });
  const envAttributes = fromEnv.attributes ?? {};
  const rest: Record<string, OtlpResourceValue> = {};
  for (const source of [envAttributes, resource]) {
    for (const [key, value] of Object.entries(source)) if (!OWN_KEYS.has(key) && !SERVICE_KEYS.has(key)) rest[key] = value;
  }
  const service =
    serviceName ?? resource[RESOURCE.serviceName] ?? fromEnv.serviceName ?? envAttributes[RESOURCE.serviceName] ?? `unknown_service:${executableName}`;
  const version = serviceVersion ?? resource[RESOURCE.serviceVersion] ?? envAttributes[RESOURCE.serviceVersion];
  const own = {
    [RESOURCE.serviceName]: service,
    ...(version === undefined ? {} : { [RESOURCE.serviceVersion]: version }),
    [RESOURCE.sdkName]: SDK_NAME,
    [RESOURCE.sdkLanguage]: SDK_LANGUAGE_NODEJS,
    [RESOURCE.sdkVersion]: VERSION,
  };
  let last: { readonly sessionId: string; readonly resource: OtlpResource } | undefined;
  return (sessionId) => {
    if (last?.sessionId !== sessionId) {
      last = { sessionId, resource: resourceOf({ ...own, [RESOURCE.sessionId]: sessionId, [RESOURCE.processPid]: processId, ...rest }) };
    }
    return last.resource;
  };
}
