"""Makes the bodies of tinker-sdk-bodies.ts with the Tinker Python SDK's own pydantic models.

Not run by the tests (they read the .ts file); run it by hand to check or remake the bodies:

    python3 spec/helpers/tinker-sdk-bodies.py <checkout of thinking-machines-lab/tinker>/src/tinker

It needs pydantic 2 only. It loads the SDK's src/tinker/types/*.py under a stub `tinker` package
whose `_models` holds just the two model configurations those types use (src/tinker/_models.py:
BaseModel is frozen with extra="ignore", StrictBase frozen with extra="forbid"), builds each event
with the arguments src/tinker/lib/telemetry.py passes, converts the batch to a
TelemetrySendRequest as `_to_send_request` does, and dumps it as `AsyncTelemetryResource.send`
does (src/tinker/resources/telemetry.py). Prints {"pydantic": version, "bodies": {name: body}}.
"""
import json, sys, types, importlib.util, pathlib
from datetime import datetime, timedelta, timezone
import pydantic
from pydantic import ConfigDict

root = pathlib.Path(sys.argv[1])
tinker = types.ModuleType("tinker"); tinker.__path__ = [str(root)]; sys.modules["tinker"] = tinker
models = types.ModuleType("tinker._models")
class BaseModel(pydantic.BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
class StrictBase(pydantic.BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
models.BaseModel = BaseModel; models.StrictBase = StrictBase; sys.modules["tinker._models"] = models
pkg = types.ModuleType("tinker.types"); pkg.__path__ = [str(root / "types")]; sys.modules["tinker.types"] = pkg

def load(name):
    spec = importlib.util.spec_from_file_location(f"tinker.types.{name}", root / "types" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec); sys.modules[spec.name] = mod; spec.loader.exec_module(mod); return mod

for n in ["event_type", "severity", "generic_event", "session_start_event", "session_end_event", "unhandled_exception_event", "telemetry_event", "telemetry_batch", "telemetry_send_request"]:
    load(n)
T = sys.modules
GenericEvent = T["tinker.types.generic_event"].GenericEvent
SessionStartEvent = T["tinker.types.session_start_event"].SessionStartEvent
SessionEndEvent = T["tinker.types.session_end_event"].SessionEndEvent
UnhandledExceptionEvent = T["tinker.types.unhandled_exception_event"].UnhandledExceptionEvent
TelemetryBatch = T["tinker.types.telemetry_batch"].TelemetryBatch
TelemetrySendRequest = T["tinker.types.telemetry_send_request"].TelemetrySendRequest

UTC = timezone.utc
SESSION = "3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c"
PROCESS = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"
ids = iter(f"00000000-0000-4000-8000-{i:012d}" for i in range(1, 100))

def start(i, t): return SessionStartEvent(event="SESSION_START", event_id=next(ids), event_session_index=i, timestamp=t, severity="INFO")
def end(i, t, begun): return SessionEndEvent(event="SESSION_END", event_id=next(ids), event_session_index=i, timestamp=t, severity="INFO", duration=str(t - begun))
def generic(i, t, name, data=None, severity="INFO"): return GenericEvent(event="GENERIC_EVENT", event_id=next(ids), event_session_index=i, timestamp=t, severity=severity, event_name=name, event_data=data or {})
def exception(i, t, error_type, message, tb, severity="ERROR"): return UnhandledExceptionEvent(event="UNHANDLED_EXCEPTION", event_id=next(ids), event_session_index=i, timestamp=t, severity=severity, error_type=error_type, error_message=message, traceback=tb)

def body(events):
    batch = TelemetryBatch(platform="Linux", sdk_version="0.25.0", session_id=SESSION, process_uuid=PROCESS, events=events)
    request = TelemetrySendRequest(**batch.model_dump())
    return request.model_dump(exclude_unset=False, exclude_none=True, mode="json")

t0 = datetime(2026, 1, 1, tzinfo=UTC)
tb = 'Traceback (most recent call last):\n  File "train.py", line 3, in <module>\n    main()\nRuntimeError: boom\n'
bodies = {
    "wholeSecondStart": body([start(0, t0), generic(1, t0 + timedelta(microseconds=120000), "client.init", {"base_url": None, "retries": 3})]),
    "fatalAfterFiveSeconds": body([exception(1, t0 + timedelta(seconds=5), "RuntimeError", "boom", tb, "CRITICAL"), end(2, t0 + timedelta(seconds=5), t0)]),
    "endAfterADay": body([end(7, t0 + timedelta(days=1, hours=2, microseconds=7), t0)]),
    "endAfterThreeDays": body([end(9, t0 + timedelta(days=3, seconds=1), t0)]),
    "neverRaisedAndUserError": body([exception(3, t0 + timedelta(seconds=1, microseconds=5), "ValueError", "", None), generic(4, t0 + timedelta(seconds=2), "user_error", {"error_type": "BadRequestError"}, "WARNING")]),
    "typical": body([generic(5, t0 + timedelta(seconds=3, microseconds=123456), "InternalClientHolder.execute_with_retries.exception", {"status_code": 503, "is_retryable": True, "attempt_count": 2, "elapsed_time": 1.25})]),
}
print(json.dumps({"pydantic": pydantic.VERSION, "bodies": bodies}, indent=2))
