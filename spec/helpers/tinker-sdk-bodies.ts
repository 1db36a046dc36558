/**
 * Request bodies of `POST /api/v1/telemetry` as the official Tinker Python SDK sends them, made by
 * the SDK's own pydantic models, not written by hand.
 *
 * Source: thinking-machines-lab/tinker at commit d595dc2ba62a1494aa0f452fe1d0dbb7b321b870
 * (2026-08-08, package version 0.25.0):
 * - the models: src/tinker/types/{session_start_event,session_end_event,unhandled_exception_event,
 *   generic_event,telemetry_batch,telemetry_send_request}.py;
 * - the arguments each event is built with: src/tinker/lib/telemetry.py (`_session_start_event`,
 *   `_session_end_event` with `duration=str(end_time - self._session_start)`, `_exception_event`
 *   with `traceback=None` for an exception that was never raised, `_user_error_event`,
 *   `_generic_event`; every timestamp `datetime.now(timezone.utc)`), the batch converted as
 *   `_to_send_request` does;
 * - the serialisation: src/tinker/resources/telemetry.py `AsyncTelemetryResource.send`,
 *   `model_dump(request, exclude_unset=False, exclude_none=True, mode="json")`;
 * run with pydantic 2.13.4 by tinker-sdk-bodies.py beside this file (which says how). Only the
 * ids and times are chosen: whole seconds, as `datetime.now()` gives one time in a million.
 *
 * What they show: a whole-second timestamp is `…:00Z` (no fraction); a `duration` is Python's
 * `str(timedelta)`, `0:00:05` without microseconds and `1 day, 2:00:00.000007` past a day; a
 * traceback that is `None` is left out; `event_data` is always there, `{}` at least.
 */
export const TINKER_SDK_BODIES = {
  wholeSecondStart: {
    "events": [
      {"event":"SESSION_START","event_id":"00000000-0000-4000-8000-000000000001","event_session_index":0,"severity":"INFO","timestamp":"2026-01-01T00:00:00Z"},
      {"event":"GENERIC_EVENT","event_id":"00000000-0000-4000-8000-000000000002","event_name":"client.init","event_session_index":1,"severity":"INFO","timestamp":"2026-01-01T00:00:00.120000Z","event_data":{"base_url":null,"retries":3}},
    ],
    "platform": "Linux",
    "sdk_version": "0.25.0",
    "session_id": "3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c",
    "process_uuid": "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
  },
  fatalAfterFiveSeconds: {
    "events": [
      {"error_message":"boom","error_type":"RuntimeError","event":"UNHANDLED_EXCEPTION","event_id":"00000000-0000-4000-8000-000000000003","event_session_index":1,"severity":"CRITICAL","timestamp":"2026-01-01T00:00:05Z","traceback":"Traceback (most recent call last):\n  File \"train.py\", line 3, in <module>\n    main()\nRuntimeError: boom\n"},
      {"duration":"0:00:05","event":"SESSION_END","event_id":"00000000-0000-4000-8000-000000000004","event_session_index":2,"severity":"INFO","timestamp":"2026-01-01T00:00:05Z"},
    ],
    "platform": "Linux",
    "sdk_version": "0.25.0",
    "session_id": "3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c",
    "process_uuid": "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
  },
  endAfterADay: {
    "events": [
      {"duration":"1 day, 2:00:00.000007","event":"SESSION_END","event_id":"00000000-0000-4000-8000-000000000005","event_session_index":7,"severity":"INFO","timestamp":"2026-01-02T02:00:00.000007Z"},
    ],
    "platform": "Linux",
    "sdk_version": "0.25.0",
    "session_id": "3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c",
    "process_uuid": "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
  },
  endAfterThreeDays: {
    "events": [
      {"duration":"3 days, 0:00:01","event":"SESSION_END","event_id":"00000000-0000-4000-8000-000000000006","event_session_index":9,"severity":"INFO","timestamp":"2026-01-04T00:00:01Z"},
    ],
    "platform": "Linux",
    "sdk_version": "0.25.0",
    "session_id": "3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c",
    "process_uuid": "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
  },
  neverRaisedAndUserError: {
    "events": [
      {"error_message":"","error_type":"ValueError","event":"UNHANDLED_EXCEPTION","event_id":"00000000-0000-4000-8000-000000000007","event_session_index":3,"severity":"ERROR","timestamp":"2026-01-01T00:00:01.000005Z"},
      {"event":"GENERIC_EVENT","event_id":"00000000-0000-4000-8000-000000000008","event_name":"user_error","event_session_index":4,"severity":"WARNING","timestamp":"2026-01-01T00:00:02Z","event_data":{"error_type":"BadRequestError"}},
    ],
    "platform": "Linux",
    "sdk_version": "0.25.0",
    "session_id": "3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c",
    "process_uuid": "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
  },
  typical: {
    "events": [
      {"event":"GENERIC_EVENT","event_id":"00000000-0000-4000-8000-000000000009","event_name":"InternalClientHolder.execute_with_retries.exception","event_session_index":5,"severity":"INFO","timestamp":"2026-01-01T00:00:03.123456Z","event_data":{"status_code":503,"is_retryable":true,"attempt_count":2,"elapsed_time":1.25}},
    ],
    "platform": "Linux",
    "sdk_version": "0.25.0",
    "session_id": "3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c",
    "process_uuid": "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
  },
} as const satisfies Record<string, { readonly session_id: string; readonly events: readonly object[]; readonly [field: string]: unknown }>;

/** The SDK's version the bodies were made with. */
export const TINKER_SDK_VERSION = '0.25.0';
