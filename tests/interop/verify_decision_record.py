#!/usr/bin/python3
"""Re-verifies a Synapse decision record from docs/decision-graph.md alone, with independent libraries.

Reads one record (fields || 64-byte signature) as hex on stdin; prints JSON with the hash, whether the fields
are in canonical form (msgpack re-encodes them to the same bytes), whether the Ed25519 signature verifies
(python3-cryptography), and the decoded fields.
"""
import hashlib
import json
import sys
import uuid

import msgpack
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

CONTEXT = b"synapse-decision-v1"

record = bytes.fromhex(sys.stdin.read().strip())
fields_bytes, signature = record[:-64], record[-64:]
fields = msgpack.unpackb(fields_bytes, raw=False, strict_map_key=True)
(version, agent, sequence, previous, timestamp, route, before, after, trigger, action, digest, cause_id,
 cause_hash, peer_refs) = fields
canonical = msgpack.packb(fields, use_bin_type=True) == fields_bytes
signed = CONTEXT + fields_bytes
try:
    Ed25519PublicKey.from_public_bytes(agent).verify(signature, signed)
    signature_valid = True
except InvalidSignature:
    signature_valid = False

json.dump({
    "hash": hashlib.sha256(signed).hexdigest(),
    "canonical": canonical,
    "signature_valid": signature_valid,
    "version": version,
    "sequence": sequence,
    "previous": previous.hex(),
    "timestamp_ms": timestamp,
    "route": route,
    "states_before": before,
    "states_after": after,
    "trigger": trigger,
    "action": action,
    "data_digest": digest.hex(),
    "cause_message_id": None if cause_id is None else str(uuid.UUID(bytes=cause_id)),
    "cause_hash": None if cause_hash is None else cause_hash.hex(),
    "peer_refs": [ref.hex() for ref in peer_refs],
}, sys.stdout)
