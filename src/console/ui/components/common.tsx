import type { ComponentChildren } from 'preact';
import type { ConsoleSeverity, SessionStatus } from '../../model.js';

export function StatusBadge({ status }: { status: SessionStatus }) {
  return (
    <span class={`badge status-${status}`} data-testid="session-status" data-status={status}>
      {status}
    </span>
  );
}

export function SeverityLabel({ severity }: { severity: ConsoleSeverity }) {
  return (
    <span class={`sev sev-${severity}`}>
      <span class="sev-dot" aria-hidden="true" />
      {severity}
    </span>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  const text = error instanceof Error ? error.message : String(error);
  return (
    <p class="error-note" role="alert">
      {text}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/** A list of facts: label and value pairs, values as text. */
export function Facts({ items, class: cls }: { items: readonly (readonly [string, ComponentChildren] | false | undefined)[]; class?: string }) {
  return (
    <dl class={`facts ${cls ?? ''}`}>
      {items.map((item) =>
        item ? (
          <div class="fact" key={item[0]}>
            <dt>{item[0]}</dt>
            <dd>{item[1]}</dd>
          </div>
        ) : null,
      )}
    </dl>
  );
}
