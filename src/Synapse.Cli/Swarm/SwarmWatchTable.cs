using System.Text;
using Synapse.Swarm;

namespace Synapse.Cli.Swarm;

/// <summary>
/// <c>synapse swarm watch</c> on a terminal: a table of the peers, the latest conversations and the latest changes,
/// redrawn in place (the cursor goes home, each line is cleared to its end, and what is left below is erased).
/// </summary>
internal sealed class SwarmWatchTable(SwarmMember member)
{
    private const int MaxConversations = 10;
    private const int MaxRecent = 8;

    // Cursor home, erase to the end of the line, erase below, clear the screen (ECMA-48).
    private const string Home = "\u001b[H";
    private const string EraseLine = "\u001b[K";
    private const string EraseBelow = "\u001b[J";
    private const string ClearScreen = "\u001b[2J";

    private readonly Queue<SwarmWatchEvent> _recent = new();
    private bool _drawn;

    /// <summary>Remembers a change for the "recent" part (its <see cref="SwarmWatchFeed"/> has heartbeats only when asked for).</summary>
    public void Add(SwarmWatchEvent change)
    {
        _recent.Enqueue(change);
        while (_recent.Count > MaxRecent)
        {
            _recent.Dequeue();
        }
    }

    /// <summary>The frame that redraws the screen: the table with each line cut at <paramref name="width"/>.</summary>
    public string Frame(int width)
    {
        var frame = new StringBuilder(_drawn ? Home : ClearScreen + Home);
        foreach (var line in Lines(member.Node.Membership.Now))
        {
            frame.Append(line.Length > width ? line[..width] : line).Append(EraseLine).Append('\n');
        }

        _drawn = true;
        return frame.Append(EraseBelow).ToString();
    }

    /// <summary>The table as plain lines, at <paramref name="now"/>.</summary>
    public IEnumerable<string> Lines(double now)
    {
        var node = member.Node;
        var peers = node.Membership.Peers.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal).ToArray();
        var conversations = node.Conversations.ConversationIds
            .Select(id => node.Conversations.Get(id))
            .Where(events => events.Count > 0)
            .OrderByDescending(events => events[^1].CreatedAt)
            .ToArray();
        yield return $"swarm {SwarmMember.Quoted(member.Swarm)}  team {SwarmMember.Quoted(member.Team)}  through {member.Settings.Seed}  "
            + $"{peers.Length} peer(s)  {conversations.Length} conversation(s)  {SwarmFormat.Clock(now)}  (Ctrl+C to stop)";
        yield return "";
        foreach (var row in Columns([["PEER", "NAME", "ADDRESS", "KIND", "SEEN", "CAPABILITIES"],
            .. peers.Select(p => new[]
            {
                SwarmFormat.ShortId(p.Id), p.Name ?? "-", $"{p.Address}:{p.Port}", p.Kind, SwarmFormat.Ago(now, p.LastSeen) + " ago", string.Join(',', p.Capabilities),
            })]))
        {
            yield return row;
        }

        yield return "";
        foreach (var row in Columns([["CONVERSATION", "EVENTS", "LAST", "FROM", "WHEN"],
            .. conversations.Take(MaxConversations).Select(events => new[]
            {
                SwarmFormat.ShortId(events[0].ConversationId), events.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                events[^1].Kind, SwarmFormat.Peer(events[^1].Peer), SwarmFormat.Ago(now, events[^1].CreatedAt) + " ago",
            })]))
        {
            yield return row;
        }

        yield return "";
        yield return "RECENT";
        foreach (var change in _recent)
        {
            yield return SwarmWatchLines.Line(change, json: false);
        }
    }

    /// <summary>Rows with each column padded to its widest cell, two spaces apart.</summary>
    private static IEnumerable<string> Columns(string[][] rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        return rows.Select(r => string.Join("  ", r.Select((cell, c) => c == r.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
    }
}
