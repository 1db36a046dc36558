/**
 * The attributes of the OpenTelemetry semantic-conventions registry that rxtel's OTLP encoders may
 * write, with their registry type, read from the registry's YAML models themselves:
 * open-telemetry/semantic-conventions **v1.44.0** `model/{service,telemetry,session,process,
 * exceptions,http,error}/registry.yaml`, and for `gen_ai.*` **v1.41.0** `model/gen-ai/registry.yaml`
 * (the last release holding the GenAI conventions before they moved to
 * open-telemetry/semantic-conventions-genai). None of them is deprecated there. An enum attribute
 * is a string on the wire.
 *
 * The tests check that every attribute an encoder writes is one of these (with a value of its
 * type), rxtel's own `rxtel.*`, or the user's `event_data`: a name made up inside a conventions
 * namespace fails.
 *
 * @example
 * ```ts
 * expect(REGISTRY.get('gen_ai.usage.input_tokens')).toBe('int');
 * ```
 */
export type RegistryType = 'string' | 'int' | 'double' | 'boolean' | 'any';

export const REGISTRY: ReadonlyMap<string, RegistryType> = new Map<string, RegistryType>([
  ['service.name', 'string'],
  ['service.version', 'string'],
  ['telemetry.sdk.name', 'string'],
  ['telemetry.sdk.language', 'string'],
  ['telemetry.sdk.version', 'string'],
  ['session.id', 'string'],
  ['process.pid', 'int'],
  ['exception.type', 'string'],
  ['exception.message', 'string'],
  ['exception.stacktrace', 'string'],
  ['http.response.status_code', 'int'],
  ['error.type', 'string'],
  ['gen_ai.operation.name', 'string'],
  ['gen_ai.provider.name', 'string'],
  ['gen_ai.request.model', 'string'],
  ['gen_ai.response.model', 'string'],
  ['gen_ai.usage.input_tokens', 'int'],
  ['gen_ai.usage.output_tokens', 'int'],
  ['gen_ai.conversation.id', 'string'],
  ['gen_ai.request.stream', 'boolean'],
  ['gen_ai.input.messages', 'any'],
  ['gen_ai.output.messages', 'any'],
  ['gen_ai.tool.name', 'string'],
  ['gen_ai.tool.call.arguments', 'any'],
  ['gen_ai.tool.call.result', 'any'],
  ['gen_ai.agent.name', 'string'],
]);

/** The OTLP `AnyValue` field a registry type is written as (`any`: any field). */
export const ANY_VALUE_FIELD: Readonly<Record<RegistryType, string | undefined>> = {
  string: 'stringValue',
  int: 'intValue',
  double: 'doubleValue',
  boolean: 'boolValue',
  any: undefined,
};

/** The `telemetry.sdk.language` members of the v1.44.0 registry; Node.js is `nodejs`. */
export const SDK_LANGUAGES = ['cpp', 'dotnet', 'erlang', 'go', 'java', 'kotlin', 'nodejs', 'php', 'python', 'ruby', 'rust', 'swift', 'webjs'];

/**
 * Every `key` of an attribute in `body` that no user data put there: a problem for each one that
 * is neither in {@link REGISTRY} (with a value of its type) nor `rxtel.*`, nor in `userKeys`.
 *
 * @example
 * ```ts
 * expect(attributeProblems(body, ['button'])).toEqual([]);
 * ```
 */
export function attributeProblems(body: unknown, userKeys: readonly string[] = []): string[] {
  const problems: string[] = [];
  const visitList = (list: unknown): void => {
    for (const kv of Array.isArray(list) ? (list as { key: string; value: Record<string, unknown> }[]) : []) {
      if (userKeys.includes(kv.key) || kv.key.startsWith('rxtel.')) continue;
      const type = REGISTRY.get(kv.key);
      if (type === undefined) problems.push(`${kv.key}: not in the registry, not rxtel's, not the user's`);
      else if (ANY_VALUE_FIELD[type] !== undefined && !(ANY_VALUE_FIELD[type] as string in kv.value)) {
        problems.push(`${kv.key}: a ${type} in the registry, written as ${JSON.stringify(kv.value)}`);
      }
    }
  };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, field] of Object.entries(value)) {
        // Attribute lists of records, spans and resources; never the inside of a kvlist value (user data).
        if (key === 'attributes') visitList(field);
        else if (key !== 'value' && key !== 'body') visit(field);
      }
    }
  };
  visit(body);
  return problems;
}
