namespace Synapse.Flows;

/// <summary>
/// A trigger: a named signal at a place in the node's trigger hierarchy (the generated <c>Trigger</c> type holds one
/// for each line of the <c>TRIGGERS</c> file). Equal when their paths are equal.
/// </summary>
public sealed class Signal : IEquatable<Signal>
{
    private readonly int[] _path;

    /// <summary>Creates a signal (generated code does this).</summary>
    /// <param name="path">Indexes from the root of the hierarchy, e.g. <c>[0, 0]</c> for the first child of the first root.</param>
    /// <param name="name">The signal's name.</param>
    /// <param name="qualifiedName">The dotted names from the root, e.g. <c>ok.match</c>.</param>
    public Signal(int[] path, string name, string qualifiedName)
    {
        ArgumentNullException.ThrowIfNull(path);
        _path = [.. path];
        Name = name;
        QualifiedName = qualifiedName;
    }

    /// <summary>The place in the hierarchy.</summary>
    public IReadOnlyList<int> Path => _path;

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The dotted names from the root (what decision records store).</summary>
    public string QualifiedName { get; }

    /// <summary>Whether this signal is a strict ancestor of <paramref name="other"/>.</summary>
    public bool IsAncestorOf(Signal other) =>
        other._path.Length > _path.Length && other._path.AsSpan(0, _path.Length).SequenceEqual(_path);

    /// <inheritdoc />
    public bool Equals(Signal? other) => other is not null && _path.AsSpan().SequenceEqual(other._path);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Signal);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var index in _path)
        {
            hash.Add(index);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => QualifiedName;
}
