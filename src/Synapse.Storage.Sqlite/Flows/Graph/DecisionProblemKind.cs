namespace Synapse.Flows.Graph;

/// <summary>What <see cref="DecisionGraphVerifier"/> found wrong.</summary>
public enum DecisionProblemKind
{
    /// <summary>The file cannot be opened or read, is not a decision graph, or fails SQLite's integrity check.</summary>
    Unreadable,

    /// <summary>A stored record is not a canonical record encoding (or a column is not a blob).</summary>
    Undecodable,

    /// <summary>A record in the owner's chain is signed by, or names, another agent.</summary>
    WrongAgent,

    /// <summary>The signature is not the record agent's signature of the record.</summary>
    BadSignature,

    /// <summary>The stored hash column differs from the hash of the stored record.</summary>
    HashMismatch,

    /// <summary>The stored sequence column differs from the record's sequence number.</summary>
    SequenceMismatch,

    /// <summary>The chain skips or repeats a sequence number (a record deleted, inserted or reordered).</summary>
    SequenceGap,

    /// <summary>A record's previous hash is not the hash of the record before it.</summary>
    PreviousMismatch,

    /// <summary>A record's timestamp is earlier than its predecessor's.</summary>
    TimestampBackwards,

    /// <summary>An imported peer record is corrupt or not signed by its agent.</summary>
    BadPeerRecord,

    /// <summary>Two different records claim the same agent and sequence number (a forked chain).</summary>
    Conflict,

    /// <summary>A warning, not an error: a cross-link names a hash found in none of the given graphs' own or imported records.</summary>
    UnresolvedLink,
}
