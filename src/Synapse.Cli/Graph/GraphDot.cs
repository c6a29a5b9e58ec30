using System.Globalization;
using System.Text;
using Synapse.Flows.Graph;

namespace Synapse.Cli.Graph;

/// <summary>
/// A decision graph as Graphviz DOT: one node per record (the owner's boxes, imported peer records as ellipses,
/// unknown link targets as dashed ellipses), solid edges along the chain, dashed edges from a link target to the
/// record that depends on it.
/// </summary>
internal static class GraphDot
{
    public static string Write(DecisionGraphSnapshot graph)
    {
        var dot = new StringBuilder();
        dot.Append("digraph decisions {\n  rankdir=LR;\n  node [fontname=\"monospace\", fontsize=10];\n");
        dot.Append(CultureInfo.InvariantCulture, $"  label={Quote($"{graph.Agent}")};\n");
        var nodes = new Dictionary<DecisionHash, string>();
        foreach (var record in graph.Records)
        {
            var id = $"r{record.Sequence}";
            nodes[record.Hash] = id;
            var label = $"#{record.Sequence} {record.Route}\n{record.Action} {string.Join(",", record.StatesBefore)} → {string.Join(",", record.StatesAfter)}\n{Short(record.Hash)}";
            dot.Append(CultureInfo.InvariantCulture, $"  {id} [shape=box, label={Quote(label)}];\n");
        }

        var peer = 0;
        foreach (var record in graph.PeerRecords)
        {
            var id = $"p{++peer}";
            nodes.TryAdd(record.Hash, id);
            var label = $"{ShortAgent(record)} #{record.Sequence} {record.Route}\n{Short(record.Hash)}";
            dot.Append(CultureInfo.InvariantCulture, $"  {id} [shape=ellipse, label={Quote(label)}];\n");
        }

        DecisionRecord? previous = null;
        foreach (var record in graph.Records)
        {
            if (previous is not null)
            {
                dot.Append(CultureInfo.InvariantCulture, $"  r{previous.Sequence} -> r{record.Sequence};\n");
            }

            previous = record;
        }

        var unknown = 0;
        foreach (var record in graph.Records)
        {
            foreach (var target in record.CrossLinks.Distinct())
            {
                if (!nodes.TryGetValue(target, out var from))
                {
                    from = $"u{++unknown}";
                    nodes[target] = from;
                    dot.Append(CultureInfo.InvariantCulture, $"  {from} [shape=ellipse, style=dashed, label={Quote(Short(target))}];\n");
                }

                dot.Append(CultureInfo.InvariantCulture, $"  {from} -> r{record.Sequence} [style=dashed];\n");
            }
        }

        dot.Append("}\n");
        return dot.ToString();
    }

    private static string Short(DecisionHash hash) => hash.ToString()[..12];

    private static string ShortAgent(DecisionRecord record)
    {
        var id = record.Agent.ToString();
        return id.Length > 20 ? string.Concat(id.AsSpan(0, 16), "…", id.AsSpan(id.Length - 4)) : id;
    }

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
