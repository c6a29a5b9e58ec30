#!/usr/bin/python3
"""A synapse-p2p v2 swarm node for interop tests, written from docs/protocol/synapse-p2p.md (the swarm messages).

  node SWARM [SEED_PORT] [INTERVAL] [TIMEOUT]
      prints "PORT <n>" and "ID <id>", joins the seed on 127.0.0.1 if given, heartbeats every known peer every
      INTERVAL seconds and reaps peers silent for more than TIMEOUT; then answers stdin commands, one JSON line each:
        peers                   -> the peer table [Peer, ...]
        conversation NONCE      -> the kinds of the conversation's events, in order
        ask PORT TASK           -> a swarm ask (synapse.ask with a broadcast) to 127.0.0.1:PORT: {"nonce", "answer"}
        mode reply|fail|silent  -> how it answers swarm asks from now on: {"mode"}
        say CONV TEXT           -> stores a `message` event in conversation CONV (no gossip): {"event_id"}
        sync PORT CONV          -> _synapse.conversation.sync(CONV) from 127.0.0.1:PORT, stores what it gets (no
                                   gossip, as §1.10 says): the event ids received, in order
        broadcast ENDPOINT TEXT -> a one-way broadcast (§1.9): ENDPOINT(TEXT, broadcast=…) on every known peer: {"nonce"}
        replies NONCE           -> the replies stored for a broadcast: [{"peer", "result"}, ...]
        heard                   -> what synapse.message(text, broadcast=None) received: [{"text", "nonce"}, ...]
        capabilities A,B        -> the capabilities it advertises (and works with)
        lease SECONDS           -> its team's lease (default 300): a silent task is offered again after it
        offer REQUIRES TITLE    -> its team offers a task (REQUIRES comma-separated, "-" for none): {"task_id"}
        task ID                 -> its team's view of a task: {"state", "attempt", "worker", "result", "error"}
        work quick|slow         -> becomes a worker (§1.11) claiming offers it is capable of, pending ones included:
                                   "quick" answers {"done_by": "python", "title"}, "slow" renews its lease forever
      stdin EOF stops the node.

  It answers synapse.ask(task, context=None, broadcast=None) as §1.5/§1.7 describe: a broadcast kwarg is checked and
  stored as a `message` event before the endpoint runs; the call answers {"accepted": true, "deferred": true}; in the
  background an `ack` event goes to every known peer, then the result is sent by _synapse.broadcast.reply to the origin
  and every known peer (mode "fail": an `error` event {task, error} instead; mode "silent": the ack only). Received
  conversation events and replies are stored once and re-gossiped to every known peer but their author. It serves
  synapse.message(text, broadcast=None), which replies to a broadcast with {"heard": text, "by": "python"}.
"""
import asyncio
import hashlib
import json
import os
import sys
import time
import uuid

from synapse_p2p_peer import InvalidMessageError, decode_request, encode_frame, read_frame

import msgpack

PEER_FIELDS = ("id", "address", "port", "swarm", "team", "name", "kind", "capabilities", "last_seen")


def make_peer(data):
    """Peer(**data): unknown keys and bad kinds are errors, team defaults to None."""
    unknown = [key for key in data if key not in PEER_FIELDS]
    if unknown:
        raise TypeError(f"Peer.__init__() got an unexpected keyword argument '{unknown[0]}'")
    for key in ("id", "address", "port"):
        if key not in data:
            raise TypeError(f"Peer.__init__() missing 1 required positional argument: '{key}'")
    kind = data.get("kind", "node")
    if kind not in ("node", "bootstrap"):
        raise ValueError(f"'{kind}' is not a valid NodeKind")
    return {"id": data["id"], "address": data["address"], "port": data["port"], "swarm": data.get("swarm"),
            "team": data.get("team"), "name": data.get("name"), "kind": kind,
            "capabilities": list(data.get("capabilities") or []), "last_seen": float(data.get("last_seen") or time.time())}


async def call(address, port, endpoint, args, kwargs=None, timeout=5):
    reader, writer = await asyncio.wait_for(asyncio.open_connection(address, port), timeout)
    try:
        request = {"endpoint": endpoint, "id": hashlib.sha256(os.urandom(16)).hexdigest(),
                   "args": args, "kwargs": kwargs or {}, "type": "request"}
        writer.write(encode_frame(request))
        await writer.drain()
        response = msgpack.unpackb(await asyncio.wait_for(read_frame(reader), timeout), raw=False)
    finally:
        writer.close()
    if not response["ok"]:
        raise RuntimeError(response["error"]["message"] if response["error"] else "RPC call failed")
    return response["result"]


class Node:
    def __init__(self, swarm, interval, timeout):
        self.id = hashlib.sha256(os.urandom(16)).hexdigest()
        self.swarm, self.team = swarm, "default"
        self.interval, self.timeout = interval, timeout
        self.port = 0
        self.peers = {}
        self.events = {}
        self.event_ids = set()
        self.replies = set()
        self.mode = "reply"
        self.tasks = set()
        self.endpoints = {
            "_synapse.ping": self.ping, "_synapse.info": self.info, "_synapse.peers": self.list_peers,
            "_synapse.join": self.join, "_synapse.heartbeat": self.heartbeat,
            "_synapse.conversation.event": self.conversation_event, "_synapse.broadcast.reply": self.broadcast_reply,
            "_synapse.conversation.sync": self.conversation_sync, "_synapse.conversation.list": self.conversation_list,
            "synapse.ask": self.synapse_ask, "synapse.message": self.synapse_message,
        }
        self.heard = []
        self.capabilities = []
        self.team_tasks = {}   # Team: task_id -> {title, spec, requires, attempt, state, worker, granted, last, ...}
        self.lease = 300.0
        self.work_mode = None  # Worker: None (not a worker), "quick" or "slow"
        self.claims = {}       # Worker: task_id -> (attempt, offering peer id)
        self.running = set()
        self.offers = {}

    def self_peer(self):
        return {"id": self.id, "address": "127.0.0.1", "port": self.port, "swarm": self.swarm, "team": self.team,
                "name": "python", "kind": "node", "capabilities": list(self.capabilities), "last_seen": time.time()}

    def check(self, peer):
        if self.swarm is not None and peer["swarm"] != self.swarm:
            raise InvalidMessageError("peer requested a different swarm")
        if self.team is not None and peer["team"] != self.team:
            raise InvalidMessageError("peer requested a different team")

    def add_peer(self, peer):
        if peer["id"] != self.id:
            self.peers[peer["id"]] = dict(peer, last_seen=time.time())

    def store(self, event):
        if event["event_id"] in self.event_ids:
            return False
        self.event_ids.add(event["event_id"])
        self.events.setdefault(event["conversation_id"], []).append(event)
        return True

    def spawn(self, coroutine):
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def others(self, *excluded):
        return [p for p in self.peers.values() if p["id"] != self.id and p["id"] not in excluded]

    async def send(self, targets, endpoint, args, kwargs=None):
        async def one(peer):
            try:
                await call(peer["address"], peer["port"], endpoint, args, kwargs)
            except Exception:
                pass
        unique = list({peer["id"]: peer for peer in targets if peer["id"] != self.id}.values())
        await asyncio.gather(*(one(peer) for peer in unique))

    def receive_broadcast(self, broadcast):
        """Dispatch of a `broadcast` kwarg: Broadcast(**data), origin checked, `message` event stored."""
        unknown = [key for key in broadcast if key not in ("nonce", "origin", "endpoint")]
        if unknown:
            raise TypeError(f"Broadcast.__init__() got an unexpected keyword argument '{unknown[0]}'")
        origin = make_peer(broadcast["origin"])
        self.check(origin)
        nonce = broadcast["nonce"]
        self.store({"conversation_id": nonce, "event_id": nonce, "kind": "message", "peer": origin,
                    "payload": {"endpoint": broadcast.get("endpoint")}, "parent_id": None, "created_at": time.time(),
                    "metadata": {}})
        return {"nonce": nonce, "origin": origin, "endpoint": broadcast.get("endpoint")}

    async def emit(self, conversation_id, kind, payload, parent_id=None):
        event = {"conversation_id": conversation_id, "event_id": hashlib.sha256(os.urandom(16)).hexdigest(),
                 "kind": kind, "peer": self.self_peer(), "payload": payload,
                 "parent_id": conversation_id if parent_id is None else parent_id,
                 "created_at": time.time(), "metadata": {}}
        self.store(event)
        self.on_event(event)
        await self.send(self.others(), "_synapse.conversation.event", [event])
        return event

    # Teams (§1.11): each task is a conversation named by its id; these handlers see every stored event.
    def on_event(self, event):
        kind, payload, author = event["kind"], event["payload"], event["peer"]
        task_id = payload.get("task_id", event["conversation_id"])
        task = self.team_tasks.get(task_id)
        if kind == "task.offer" and self.work_mode:
            self.consider_offer(event)
        if kind == "task.grant" and payload.get("worker_id") == self.id:
            claim = self.claims.pop(task_id, None)
            if claim is not None and claim[1] == author["id"] and task_id not in self.running:
                self.running.add(task_id)
                self.spawn(self.run_task(task_id, self.offers[task_id]))
        if task is None or task["state"] in ("done", "failed"):
            return
        if kind == "task.claim" and task["state"] == "offered" and payload.get("attempt") == task["attempt"]:
            task.update(state="granted", worker=author["id"], last=time.time())
            task["granted"].add(author["id"])
            self.spawn(self.emit(task_id, "task.grant", {"task_id": task_id, "worker_id": author["id"],
                                                         "worker_name": author.get("name")}, event["event_id"]))
        elif kind == "task.progress" and author["id"] == task["worker"]:
            task["last"] = time.time()
        elif kind == "task.done" and author["id"] in task["granted"]:
            task.update(state="done", result=payload.get("result"))
        elif kind == "task.failed" and (author["id"] in task["granted"] or author["id"] == self.id):
            task.update(state="failed", error=payload.get("error"))

    def consider_offer(self, offer):
        payload = offer["payload"]
        task_id, attempt = payload["task_id"], payload.get("attempt", 1)
        if not set(payload.get("requires") or []) <= set(self.capabilities) or task_id in self.running:
            return
        if task_id in self.claims and self.claims[task_id][0] >= attempt:
            return
        self.claims[task_id] = (attempt, offer["peer"]["id"])
        self.offers[task_id] = payload
        self.spawn(self.emit(task_id, "task.claim", {"task_id": task_id, "attempt": attempt,
                                                     "capabilities": list(self.capabilities)}, offer["event_id"]))

    async def run_task(self, task_id, offer):
        if self.work_mode == "slow":
            while True:  # renews its lease until the process is killed
                await asyncio.sleep(0.2)
                await self.emit(task_id, "task.progress", {"task_id": task_id, "message": "working", "heartbeat": True})
        self.running.discard(task_id)
        await self.emit(task_id, "task.done", {"task_id": task_id, "result": {"done_by": "python", "title": offer["title"]}})

    async def offer(self, requires, title):
        task_id = str(uuid.uuid4())
        self.team_tasks[task_id] = {"title": title, "spec": {}, "requires": requires, "attempt": 1, "state": "offered",
                                    "worker": None, "granted": set(), "last": time.time()}
        await self.emit(task_id, "task.offer", {"task_id": task_id, "title": title, "spec": {}, "requires": requires,
                                                "attempt": 1}, None)
        return task_id

    async def reaper(self):
        while True:
            await asyncio.sleep(max(0.05, self.lease / 4))
            for task_id, task in list(self.team_tasks.items()):
                if task["state"] in ("offered", "granted") and time.time() - task["last"] > self.lease:
                    task.update(attempt=task["attempt"] + 1, state="offered", worker=None, last=time.time())
                    await self.emit(task_id, "task.offer", {"task_id": task_id, "title": task["title"], "spec": {},
                                                            "requires": task["requires"], "attempt": task["attempt"]}, None)

    async def answer(self, task, context):
        if self.mode == "fail":
            raise RuntimeError(f"python could not do {task}")
        return {"answer": f"python did {task}", "context": context}

    async def synapse_ask(self, task, context=None, broadcast=None):
        if broadcast is None:
            return await self.answer(task, context)
        self.spawn(self.run_ask(broadcast, task, context))
        return {"accepted": True, "deferred": True}

    async def run_ask(self, broadcast, task, context):
        nonce = broadcast["nonce"]
        await self.emit(nonce, "ack", {})
        if self.mode == "silent":
            return
        try:
            result = await self.answer(task, context)
        except Exception as exc:
            await self.emit(nonce, "error", {"task": task, "error": str(exc)})
            return
        await self.reply(broadcast, result)

    async def synapse_message(self, text, broadcast=None):
        """A one-way broadcast endpoint (§1.9): remembers the text and replies to the broadcast in the background."""
        self.heard.append({"text": text, "nonce": broadcast["nonce"] if broadcast else None})
        if broadcast is not None:
            self.spawn(self.reply(broadcast, {"heard": text, "by": "python"}))
        return "noted"

    async def reply(self, broadcast, result):
        me = self.self_peer()
        self.record_reply(broadcast["nonce"], me, result)
        await self.send([broadcast["origin"], *self.others()], "_synapse.broadcast.reply", [broadcast["nonce"], me],
                        {"result": result})

    async def broadcast(self, endpoint, text):
        nonce = str(uuid.uuid4())
        origin = self.self_peer()
        self.store({"conversation_id": nonce, "event_id": nonce, "kind": "message", "peer": origin,
                    "payload": {"endpoint": endpoint, "args": [text], "kwargs": {}}, "parent_id": None,
                    "created_at": time.time(), "metadata": {}})
        envelope = {"nonce": nonce, "origin": origin, "endpoint": endpoint}
        await self.send(self.others(), endpoint, [text], {"broadcast": envelope})
        return {"nonce": nonce}

    def record_reply(self, nonce, peer, result):
        if (nonce, peer["id"]) in self.replies:
            return False
        self.replies.add((nonce, peer["id"]))
        self.store({"conversation_id": nonce, "event_id": hashlib.sha256(os.urandom(16)).hexdigest(),
                    "kind": "reply", "peer": peer, "payload": {"result": result}, "parent_id": nonce,
                    "created_at": time.time(), "metadata": {}})
        return True

    async def ping(self):
        return "pong"

    async def info(self):
        return {"id": self.id, "name": "python", "kind": "node", "address": "127.0.0.1", "port": self.port,
                "swarm": self.swarm, "team": self.team, "role": "", "description": "", "capabilities": []}

    async def list_peers(self):
        return list(self.peers.values())

    async def join(self, peer):
        peer = make_peer(peer)
        self.check(peer)
        self.add_peer(peer)
        return {"accepted": True, "self": self.self_peer(),
                "peers": [p for p in self.peers.values() if p["id"] != peer["id"]]}

    async def heartbeat(self, peer):
        peer = make_peer(peer)
        self.check(peer)
        self.add_peer(peer)
        return {"ok": True, "self": await self.info()}

    async def conversation_event(self, event):
        peer = make_peer(event["peer"])
        self.check(peer)
        event = dict(event, peer=peer)
        stored = self.store(event)
        self.add_peer(peer)
        if stored:
            self.on_event(event)
            self.spawn(self.send(self.others(peer["id"]), "_synapse.conversation.event", [event]))
        return {"ok": True, "stored": stored}

    async def conversation_sync(self, conversation_id, since=0.0):
        events = [event for event in self.events.get(conversation_id, []) if event["created_at"] > since]
        return {"events": sorted(events, key=lambda event: event["created_at"])}

    async def conversation_list(self):
        return list(self.events)

    async def broadcast_reply(self, nonce, peer, result=None):
        peer = make_peer(peer)
        self.check(peer)
        if self.record_reply(nonce, peer, result):
            self.spawn(self.send(self.others(peer["id"]), "_synapse.broadcast.reply", [nonce, peer], {"result": result}))
        return {"ok": True}

    async def handle(self, reader, writer):
        request_id = ""
        try:
            try:
                endpoint, request_id, args, kwargs = decode_request(await read_frame(reader))
                try:
                    if isinstance(kwargs.get("broadcast"), dict):
                        kwargs["broadcast"] = self.receive_broadcast(kwargs["broadcast"])
                    if endpoint not in self.endpoints:
                        raise InvalidMessageError(f"Unregistered endpoint called: {endpoint}")
                    result = await self.endpoints[endpoint](*args, **kwargs)
                    response = {"id": request_id, "ok": True, "result": result, "error": None, "type": "response"}
                except InvalidMessageError:
                    raise
                except Exception as exc:
                    response = {"id": request_id, "ok": False, "result": None,
                                "error": {"code": "internal_error", "message": str(exc)}, "type": "response"}
            except InvalidMessageError as exc:
                response = {"id": request_id, "ok": False, "result": None,
                            "error": {"code": "bad_request", "message": str(exc)}, "type": "response"}
            writer.write(encode_frame(response))
            await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def join_seed(self, port):
        answer = await call("127.0.0.1", port, "_synapse.join", [self.self_peer()])
        for peer in [answer["self"], *answer["peers"]]:
            peer = make_peer(peer)
            self.check(peer)
            self.add_peer(peer)

    async def liveness(self):
        while True:
            await asyncio.sleep(self.interval)
            for peer in list(self.peers.values()):
                try:
                    await call(peer["address"], peer["port"], "_synapse.heartbeat", [self.self_peer()])
                except Exception:
                    pass
            now = time.time()
            for peer_id, peer in list(self.peers.items()):
                if now - peer["last_seen"] > self.timeout:
                    del self.peers[peer_id]

    async def ask(self, port, task):
        nonce = str(uuid.uuid4())
        origin = self.self_peer()
        self.store({"conversation_id": nonce, "event_id": nonce, "kind": "message", "peer": origin,
                    "payload": {"task": task}, "parent_id": None, "created_at": time.time(), "metadata": {}})
        broadcast = {"nonce": nonce, "origin": origin, "endpoint": "synapse.ask"}
        answer = await call("127.0.0.1", port, "synapse.ask", [task], {"broadcast": broadcast, "context": {"url": "x"}})
        return {"nonce": nonce, "answer": answer}

    async def command(self, line):
        words = line.split(" ", 2)
        if words[0] == "peers":
            return list(self.peers.values())
        if words[0] == "conversation":
            return [event["kind"] for event in self.events.get(words[1], [])]
        if words[0] == "ask":
            return await self.ask(int(words[1]), words[2])
        if words[0] == "say":
            event_id = hashlib.sha256(os.urandom(16)).hexdigest()
            self.store({"conversation_id": words[1], "event_id": event_id, "kind": "message", "peer": self.self_peer(),
                        "payload": {"text": words[2]}, "parent_id": None, "created_at": time.time(), "metadata": {}})
            return {"event_id": event_id}
        if words[0] == "sync":
            answer = await call("127.0.0.1", int(words[1]), "_synapse.conversation.sync", [words[2]])
            for event in answer["events"]:
                self.store(dict(event, peer=make_peer(event["peer"])))
            return [event["event_id"] for event in answer["events"]]
        if words[0] == "broadcast":
            return await self.broadcast(words[1], words[2])
        if words[0] == "replies":
            return [{"peer": event["peer"]["id"], "result": event["payload"]["result"]}
                    for event in self.events.get(words[1], []) if event["kind"] == "reply"]
        if words[0] == "heard":
            return self.heard
        if words[0] == "capabilities":
            self.capabilities = words[1].split(",")
            return self.capabilities
        if words[0] == "lease":
            self.lease = float(words[1])
            return {"lease": self.lease}
        if words[0] == "offer":
            return {"task_id": await self.offer([] if words[1] == "-" else words[1].split(","), words[2])}
        if words[0] == "task":
            task = self.team_tasks[words[1]]
            return {key: task.get(key) for key in ("state", "attempt", "worker", "result", "error")}
        if words[0] == "work":
            self.work_mode = words[1]
            for events in list(self.events.values()):
                offers = [event for event in events if event["kind"] == "task.offer"]
                if offers and not any(event["kind"] in ("task.grant", "task.done", "task.failed")
                                      for event in events[events.index(offers[-1]):]):
                    self.consider_offer(offers[-1])
            return {"work": self.work_mode}
        if words[0] == "mode" and words[1] in ("reply", "fail", "silent"):
            self.mode = words[1]
            return {"mode": self.mode}
        return {"error": f"unknown command {words[0]}"}


async def run(swarm, seed, interval, timeout):
    node = Node(swarm, interval, timeout)
    server = await asyncio.start_server(node.handle, "127.0.0.1", 0)
    node.port = server.sockets[0].getsockname()[1]
    print(f"PORT {node.port}", flush=True)
    print(f"ID {node.id}", flush=True)
    if seed:
        await node.join_seed(seed)
    liveness = asyncio.ensure_future(node.liveness())
    reaper = asyncio.ensure_future(node.reaper())
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        print(json.dumps(await node.command(line.strip())), flush=True)
    liveness.cancel()
    reaper.cancel()
    server.close()


def main():
    if len(sys.argv) < 3 or sys.argv[1] != "node":
        raise SystemExit(__doc__)
    seed = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] != "0" else None
    interval = float(sys.argv[4]) if len(sys.argv) > 4 else 5.0
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 20.0
    asyncio.run(run(sys.argv[2], seed, interval, timeout))


if __name__ == "__main__":
    main()
