/**
 * Names rxtel itself gives to events and bus events: one place, so that the reporter that makes
 * an event, the step that exempts it and the tests that look for it cannot disagree.
 */

/** `event_name` of the reporter's report of what it dropped. */
export const HEALTH_EVENT = 'telemetry.health';
/** `event_name` of a sink's state change, sent to the other sinks. */
export const SINK_HEALTH_EVENT = 'telemetry.sink_health';
/** `event_name` of the per-name counts of what the rate limit refused, sent with the health reports. */
export const RATE_LIMITED_EVENT = 'rxtel.rate_limited';
/** Bus event when the queue fills up or has room again (forwarded to the reporter by default). */
export const QUEUE_STATE_EVENT = 'rxtel.queue.state_change';
