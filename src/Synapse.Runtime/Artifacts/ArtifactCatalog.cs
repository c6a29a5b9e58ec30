namespace Synapse.Artifacts;

/// <summary>
/// The artifacts a host serves with <c>_synapse.artifacts</c> and <c>_synapse.artifact.get</c>
/// (<c>AgentHostOptions.Artifacts</c>), in the order they were added; adding one with a name already served replaces
/// it. Without an <c>agent-card</c> of its own, the host serves one made from the agent's descriptor. Safe to change
/// while the host runs.
/// </summary>
public sealed class ArtifactCatalog
{
    /// <summary>How many artifacts one host serves at most.</summary>
    public const int MaxArtifacts = 1024;

    /// <summary>The largest artifact, encoded as <c>_synapse.artifact.get</c> sends it: it must fit the default 4 MiB frame.</summary>
    public const int MaxEncodedSize = (4 * 1024 * 1024) - 4096;

    /// <summary>The largest descriptor (an artifact without its content): all of them fit one answer of <c>_synapse.artifacts</c>.</summary>
    public const int MaxDescriptorSize = 3 * 1024;

    private readonly Lock _gate = new();
    private readonly List<Encoded> _artifacts = [];

    /// <summary>How many artifacts are served.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _artifacts.Count;
            }
        }
    }

    /// <summary>Serves <paramref name="artifact"/>, replacing one of the same name.</summary>
    /// <exception cref="ArgumentException">The artifact's size or sha256 is not that of its content (make it with the <see cref="ServedArtifact"/> factories), or it is larger than <see cref="MaxEncodedSize"/>, or its descriptor than <see cref="MaxDescriptorSize"/>.</exception>
    /// <exception cref="InvalidOperationException">The catalog holds <see cref="MaxArtifacts"/> already.</exception>
    public void Add(ServedArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        if (!artifact.Matches())
        {
            throw new ArgumentException($"artifact '{artifact.Name}': its size and sha256 are not those of its content; make it with ServedArtifact.FromValue, FromText or FromBytes", nameof(artifact));
        }

        var encoded = Encoded.Of(artifact);
        if (encoded.Artifact.Length > MaxEncodedSize)
        {
            throw new ArgumentException($"artifact '{artifact.Name}' is {encoded.Artifact.Length} bytes encoded, above the {MaxEncodedSize} one response can carry; advertise a URI in its content instead", nameof(artifact));
        }

        if (encoded.Descriptor.Length > MaxDescriptorSize)
        {
            throw new ArgumentException($"artifact '{artifact.Name}' has a descriptor of {encoded.Descriptor.Length} bytes (description and metadata), above {MaxDescriptorSize}", nameof(artifact));
        }

        lock (_gate)
        {
            var index = _artifacts.FindIndex(a => a.Name == artifact.Name);
            if (index >= 0)
            {
                _artifacts[index] = encoded;
                return;
            }

            if (_artifacts.Count >= MaxArtifacts)
            {
                throw new InvalidOperationException($"a host serves at most {MaxArtifacts} artifacts");
            }

            _artifacts.Add(encoded);
        }
    }

    /// <summary>Stops serving the artifact named <paramref name="name"/>; false when none is.</summary>
    public bool Remove(string name)
    {
        lock (_gate)
        {
            return _artifacts.RemoveAll(a => a.Name == name) > 0;
        }
    }

    /// <summary>The artifact named <paramref name="name"/>, or <c>null</c>.</summary>
    public ServedArtifact? Find(string name) => FindEncoded(name)?.Served;

    /// <summary>The artifact named <paramref name="name"/> as it is sent, or <c>null</c>.</summary>
    internal Encoded? FindEncoded(string name)
    {
        lock (_gate)
        {
            return _artifacts.Find(a => a.Name == name);
        }
    }

    /// <summary>The artifacts served now, in the order they were added.</summary>
    public IReadOnlyList<ServedArtifact> All() => [.. AllEncoded().Select(a => a.Served)];

    /// <summary>The artifacts served now as they are sent, in the order they were added.</summary>
    internal IReadOnlyList<Encoded> AllEncoded()
    {
        lock (_gate)
        {
            return [.. _artifacts];
        }
    }

    /// <summary>An artifact with its encodings, made once when it is added: serving it copies bytes.</summary>
    internal sealed record Encoded(ServedArtifact Served, byte[] Artifact, byte[] Descriptor)
    {
        public string Name => Served.Name;

        public static Encoded Of(ServedArtifact artifact) => new(artifact, artifact.ToMsgPack().ToBytes(), artifact.DescriptorToMsgPack().ToBytes());
    }
}
