import type { ComponentChildren } from 'preact';

/** Nodes shown at most per object or array, and levels opened at first. */
const MAX_CHILDREN = 200;
const OPEN_DEPTH = 2;
const MAX_DEPTH = 12;

function Primitive({ value }: { value: unknown }) {
  if (value === null) return <span class="j-null">null</span>;
  switch (typeof value) {
    case 'string':
      return <span class="j-str">{JSON.stringify(value)}</span>;
    case 'number':
    case 'bigint':
      return <span class="j-num">{String(value)}</span>;
    case 'boolean':
      return <span class="j-bool">{String(value)}</span>;
    case 'undefined':
      return <span class="j-null">undefined</span>;
    default:
      return <span>{String(value)}</span>;
  }
}

function Node({ label, value, depth }: { label: ComponentChildren; value: unknown; depth: number }) {
  if (value === null || typeof value !== 'object') {
    return (
      <div class="j-line">
        {label}
        <Primitive value={value} />
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries: [string, unknown][] = isArray ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const brackets = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div class="j-line">
        {label}
        <span class="j-punct">{brackets.join('')}</span>
      </div>
    );
  }
  if (depth >= MAX_DEPTH) {
    return (
      <div class="j-line">
        {label}
        <span class="muted">{`${brackets[0]}… ${entries.length} ${isArray ? 'items' : 'keys'}${brackets[1]}`}</span>
      </div>
    );
  }
  const shown = entries.slice(0, MAX_CHILDREN);
  return (
    <details class="j-node" open={depth < OPEN_DEPTH}>
      <summary>
        {label}
        <span class="j-punct">{brackets[0]}</span>
        <span class="muted j-count">{`${entries.length} ${isArray ? (entries.length === 1 ? 'item' : 'items') : entries.length === 1 ? 'key' : 'keys'}`}</span>
      </summary>
      <div class="j-children">
        {shown.map(([k, v]) => (
          <Node key={k} depth={depth + 1} value={v} label={<span class={isArray ? 'j-index' : 'j-key'}>{isArray ? `${k}: ` : `${JSON.stringify(k)}: `}</span>} />
        ))}
        {entries.length > shown.length && <div class="muted">{`… ${entries.length - shown.length} more`}</div>}
      </div>
      <span class="j-punct">{brackets[1]}</span>
    </details>
  );
}

/** A JSON value as a tree of text: keys and values are text nodes, objects and arrays fold. */
export function JsonTree({ value, label }: { value: unknown; label?: string }) {
  return (
    <div class="json-tree mono" aria-label={label ?? 'data'}>
      <Node value={value} depth={0} label={null} />
    </div>
  );
}
