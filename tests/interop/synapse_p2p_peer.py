#!/usr/bin/python3
"""A synapse-p2p v1 peer for interop tests, written from docs/protocol/synapse-p2p.md.

It reproduces the Python project's wire behaviour (framing.py, serializers.py, Node.handle_data and
Client.call) on top of the real `msgpack` package (Debian python3-msgpack 1.0.3, the version the spec was
recorded with), so the C# codec is checked against an independent MessagePack implementation.

  serve            -> prints "PORT <n>", serves until stdin closes
  call PORT ENDPOINT ARGS_JSON [KWARGS_JSON]
                   -> one call per connection, prints {"ok":..,"result":..,"error":..} as JSON
  summarize HEX    -> the summary synapse-p2p's default summariser writes for the conversation events in HEX (a
                      MessagePack array of event maps), printed as a JSON string
  json-digest HEX  -> for each MessagePack value in HEX (an array of them), prints "SIZE SHA256" of its JSON form as
                      synapse-p2p hashes an artifact's content: json.dumps(value, sort_keys=True, separators=(",", ":"))
"""
import asyncio
import hashlib
import json
import os
import struct
import sys

import msgpack

HEADER = struct.Struct("!I")
MAX_SIZE = 4 * 1024 * 1024
REQUEST_FIELDS = ("endpoint", "id", "args", "kwargs", "type")


class InvalidMessageError(Exception):
    pass


async def read_frame(reader, max_size=MAX_SIZE):
    try:
        header = await reader.readexactly(HEADER.size)
        (size,) = HEADER.unpack(header)
        if size > max_size:
            raise InvalidMessageError(f"frame too large: {size} > {max_size}")
        return await reader.readexactly(size)
    except asyncio.IncompleteReadError as exc:
        raise InvalidMessageError("incomplete frame") from exc


def encode_frame(payload):
    data = msgpack.packb(payload, use_bin_type=True)
    return HEADER.pack(len(data)) + data


def decode_request(raw):
    try:
        payload = msgpack.unpackb(raw, raw=False)
    except Exception as exc:  # the real serializer wraps any unpack failure
        raise InvalidMessageError(str(exc)) from exc
    if not isinstance(payload, dict):
        raise InvalidMessageError("payload must be a map")
    kind = payload.get("type", "request")
    if kind == "response":
        raise InvalidMessageError("expected request message")
    if kind != "request":
        raise InvalidMessageError(f"unknown RPC message type: {kind}")
    unknown = sorted(set(payload) - set(REQUEST_FIELDS))
    if unknown:
        raise InvalidMessageError(f"unknown request fields: {unknown}")
    try:
        endpoint = payload["endpoint"]
    except KeyError as exc:
        raise InvalidMessageError(str(exc)) from exc
    return endpoint, str(payload.get("id", "")), list(payload.get("args", [])), dict(payload.get("kwargs", {}))


def sum_(a, b):
    return a + b


def echo(value):
    return value


def boom():
    raise RuntimeError("kaboom")


def artifact(name, content, mime_type="application/json"):
    # As synapse-p2p's Node.artifact builds one: text as is, anything else hashed as its canonical JSON.
    if isinstance(content, str):
        raw, encoding = content.encode(), "text"
    else:
        raw, encoding = json.dumps(content, sort_keys=True, separators=(",", ":")).encode(), "json"
    return {"name": name, "mime_type": mime_type, "content": content, "kind": "metadata", "description": "",
            "encoding": encoding, "size": len(raw), "sha256": hashlib.sha256(raw).hexdigest(), "metadata": {}}


ARTIFACTS = {
    "agent-card": artifact("agent-card", {"name": "reviewer", "capabilities": ["code-review"]},
                           "application/vnd.synapse.agent-card+json"),
    "notes": artifact("notes", "# Notes", "text/markdown"),
    "tampered": dict(artifact("tampered", {"steps": 3}), content={"steps": 4}),
}


def artifact_get(name):
    if name not in ARTIFACTS:
        raise InvalidMessageError(f"unknown artifact: {name}")
    return ARTIFACTS[name]


ENDPOINTS = {
    "sum": sum_, "echo": echo, "boom": boom, "_synapse.ping": lambda: "pong",
    "_synapse.artifacts": lambda: [{k: v for k, v in a.items() if k != "content"} for a in ARTIFACTS.values()],
    "_synapse.artifact.get": artifact_get,
}


async def handle(reader, writer):
    request_id = ""
    try:
        try:
            endpoint, request_id, args, kwargs = decode_request(await read_frame(reader))
            if endpoint not in ENDPOINTS:
                raise InvalidMessageError(f"Unregistered endpoint called: {endpoint}")
            try:
                result = ENDPOINTS[endpoint](*args, **kwargs)
                response = {"id": request_id, "ok": True, "result": result, "error": None, "type": "response"}
            except InvalidMessageError:
                raise
            except Exception as exc:
                response = {"id": request_id, "ok": False, "result": None,
                            "error": {"code": "internal_error", "message": str(exc)}, "type": "response"}
        except InvalidMessageError as exc:
            response = {"id": request_id if request_id else "", "ok": False, "result": None,
                        "error": {"code": "bad_request", "message": str(exc)}, "type": "response"}
        writer.write(encode_frame(response))
        await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def serve():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


def to_json(value):
    if isinstance(value, bytes):
        return {"$bytes": value.hex()}
    if isinstance(value, msgpack.Timestamp):
        return {"$timestamp": [value.seconds, value.nanoseconds]}
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


def from_json(value):
    if isinstance(value, dict):
        if set(value) == {"$bytes"}:
            return bytes.fromhex(value["$bytes"])
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value


async def call(port, endpoint, args, kwargs):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = {"endpoint": endpoint, "id": hashlib.sha256(os.urandom(16)).hexdigest(),
               "args": args, "kwargs": kwargs, "type": "request"}
    writer.write(encode_frame(request))
    await writer.drain()
    raw = await asyncio.wait_for(read_frame(reader), 30)
    writer.close()
    response = msgpack.unpackb(raw, raw=False)
    if list(response) != ["id", "ok", "result", "error", "type"]:
        raise SystemExit(f"unexpected response keys {list(response)}")
    if response["id"] != request["id"]:
        raise SystemExit("response id does not echo the request id")
    print(json.dumps({"ok": response["ok"], "result": to_json(response["result"]), "error": response["error"]}))


def summarize(events):
    # As the spec describes the default summariser: counts by kind, then one line per event (earlier summaries as
    # their text), the payload as json.dumps(payload, default=str) cut at 200 characters, the last 40 lines.
    lines, counts = [], {}
    for event in events:
        counts[event["kind"]] = counts.get(event["kind"], 0) + 1
        if event["kind"] == "summary":
            previous = str(event["payload"].get("summary", ""))
            if previous:
                lines.append(previous)
            continue
        preview = json.dumps(event["payload"], default=str)
        if len(preview) > 200:
            preview = preview[:200] + "\u2026"
        lines.append(f"{event['peer'].get('name') or event['peer']['id']} [{event['kind']}]: {preview}")
    header = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
    return f"({header})\n" + "\n".join(lines[-40:])


def main():
    if sys.argv[1] == "serve":
        asyncio.run(serve())
    elif sys.argv[1] == "call":
        kwargs = json.loads(sys.argv[5]) if len(sys.argv) > 5 else {}
        asyncio.run(call(int(sys.argv[2]), sys.argv[3], from_json(json.loads(sys.argv[4])), from_json(kwargs)))
    elif sys.argv[1] == "summarize":
        print(json.dumps(summarize(msgpack.unpackb(bytes.fromhex(sys.argv[2]), raw=False))))
    elif sys.argv[1] == "json-digest":
        for value in msgpack.unpackb(bytes.fromhex(sys.argv[2]), raw=False):
            raw = json.dumps(value, sort_keys=True, separators=(",", ":")).encode()
            print(len(raw), hashlib.sha256(raw).hexdigest())
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
