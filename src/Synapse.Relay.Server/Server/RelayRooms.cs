using System.Collections.Concurrent;

namespace Synapse.Relay.Server;

/// <summary>
/// This relay's members of each room: who a room message fans out to here. A room exists while it has a member here:
/// the last to leave removes it. Joins and leaves take one lock, so a join never lands in a room being removed; fan-out
/// reads without it.
/// </summary>
internal sealed class RelayRooms
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, AgentSession>> _rooms = new(StringComparer.Ordinal);
    private readonly Lock _membership = new();

    /// <summary>Rooms held here, members or not.</summary>
    public int Count => _rooms.Count;

    /// <summary>Adds the session to a room; returns the members here.</summary>
    public int Join(AgentSession session, string room)
    {
        lock (_membership)
        {
            var members = _rooms.GetOrAdd(room, _ => new ConcurrentDictionary<string, AgentSession>(StringComparer.Ordinal));
            members[session.Identity] = session;
            return members.Count;
        }
    }

    /// <summary>
    /// Removes the session from a room, and the room when it was the last member; false when it was not a member (or a
    /// newer link of its agent is).
    /// </summary>
    public bool Leave(AgentSession session, string room)
    {
        lock (_membership)
        {
            if (!_rooms.TryGetValue(room, out var members) || !members.TryRemove(new KeyValuePair<string, AgentSession>(session.Identity, session)))
            {
                return false;
            }

            if (members.IsEmpty)
            {
                _rooms.TryRemove(room, out _);
            }

            return true;
        }
    }

    /// <summary>Fans a room message out to this relay's members of the room, except its sender; returns how many queued it.</summary>
    public int FanOut(string room, string? sender, byte[] frame, RelayLink? origin)
    {
        var fanOut = 0;
        if (_rooms.TryGetValue(room, out var members))
        {
            foreach (var (id, member) in members)
            {
                if (id != sender && member.Enqueue(frame, origin))
                {
                    fanOut++;
                }
            }
        }

        return fanOut;
    }

    /// <summary>Whether agents on this relay are in <paramref name="room"/>.</summary>
    public bool HasMembers(string room) => _rooms.TryGetValue(room, out var members) && !members.IsEmpty;

    /// <summary>The rooms with members on this relay.</summary>
    public IEnumerable<string> Names() => _rooms.Where(room => !room.Value.IsEmpty).Select(room => room.Key);
}
