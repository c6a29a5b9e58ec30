namespace Synapse.Hosting;

/// <summary>
/// The two pools a host's connections are counted in. A connection is <em>pending</em> from its accept until it proves
/// it is a caller: a complete first frame (a synapse-p2p request, which never sends a handshake) or a finished secure
/// handshake. Pending connections are bounded on their own, by <see cref="AgentHostOptions.MaxPendingConnections"/>,
/// and at that bound a new connection sheds the oldest pending one, so connections that send nothing cannot starve
/// callers that have proved themselves. Proved connections take one of <see cref="AgentHostOptions.MaxConnections"/>
/// slots; a connection that proves itself when none is free is refused ("server busy").
/// </summary>
/// <typeparam name="T">The connection type (the host's <see cref="ServerConnection"/>).</typeparam>
internal sealed class ConnectionAdmission<T>(int maxConnections, int maxPendingConnections)
    where T : class
{
    private readonly Lock _lock = new();
    private readonly LinkedList<T> _pending = new();
    private readonly Dictionary<T, LinkedListNode<T>> _pendingNodes = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<T> _proved = new(ReferenceEqualityComparer.Instance);

    /// <summary>How many connections have not yet proved themselves.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>How many connections hold a slot of <see cref="AgentHostOptions.MaxConnections"/>.</summary>
    public int Proved
    {
        get
        {
            lock (_lock)
            {
                return _proved.Count;
            }
        }
    }

    /// <summary>Whether a connection that proves itself now would get a slot.</summary>
    public bool HasRoom
    {
        get
        {
            lock (_lock)
            {
                return _proved.Count < maxConnections;
            }
        }
    }

    /// <summary>
    /// Counts a newly accepted connection as pending. Returns the oldest pending connection when the pending bound was
    /// reached (no longer counted; the caller closes it), never <paramref name="connection"/> itself.
    /// </summary>
    public T? Admit(T connection)
    {
        lock (_lock)
        {
            T? shed = null;
            if (_pending.Count >= maxPendingConnections && _pending.First is { } oldest)
            {
                shed = oldest.Value;
                _pending.RemoveFirst();
                _pendingNodes.Remove(shed);
            }

            _pendingNodes.Add(connection, _pending.AddLast(connection));
            return shed;
        }
    }

    /// <summary>
    /// Moves a pending connection into a slot. Returns false when every slot is taken, or when the connection was
    /// shed meanwhile; it is then no longer counted anywhere and must be closed.
    /// </summary>
    public bool TryProve(T connection)
    {
        lock (_lock)
        {
            if (_proved.Contains(connection))
            {
                return true;
            }

            if (!_pendingNodes.Remove(connection, out var node))
            {
                return false;
            }

            _pending.Remove(node);
            return _proved.Count < maxConnections && _proved.Add(connection);
        }
    }

    /// <summary>Stops counting a closed connection, whichever pool it was in.</summary>
    public void Closed(T connection)
    {
        lock (_lock)
        {
            if (_pendingNodes.Remove(connection, out var node))
            {
                _pending.Remove(node);
            }

            _proved.Remove(connection);
        }
    }
}
