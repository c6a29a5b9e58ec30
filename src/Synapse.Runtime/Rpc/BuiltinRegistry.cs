using System.Text;

namespace Synapse.Rpc;

/// <summary>Answers one call to a built-in endpoint; the executor turns its exceptions into error responses.</summary>
/// <param name="call">The call to complete.</param>
internal delegate ValueTask BuiltinHandler(RpcInvocation call);

/// <summary>A built-in endpoint as registered: its name, its handler and whether an agent's own endpoint of the same name wins.</summary>
internal sealed class Builtin(string name, BuiltinHandler handler, bool yieldsToAgent)
{
    /// <summary>The wire name (logs and metrics use it too).</summary>
    public string Name { get; } = name;

    /// <summary>The wire name in UTF-8, as requests carry it.</summary>
    public byte[] Utf8Name { get; } = Encoding.UTF8.GetBytes(name);

    /// <summary>Answers the call.</summary>
    public BuiltinHandler Handler { get; } = handler;

    /// <summary>Whether an agent endpoint with the same name is called instead (the swarm's <c>synapse.ask</c>).</summary>
    public bool YieldsToAgent { get; } = yieldsToAgent;
}

/// <summary>
/// The built-in endpoints one host answers besides its agent's: the seam through which each owner (the host itself,
/// the swarm, reputation) registers its own names once, when the host starts. Lookups then only read, so one registry
/// serves every connection without locks. A built-in wins over an agent endpoint of the same name unless it was
/// registered as yielding.
/// </summary>
internal sealed class BuiltinRegistry
{
    // Names starting with '_' are kept apart so that a call to an agent endpoint compares against the few others only.
    private Builtin[] _reserved = [];
    private Builtin[] _plain = [];

    /// <summary>
    /// Runs before each call to an agent endpoint, and may take keyword arguments meant for itself (the swarm takes a
    /// broadcast's envelope); what it throws is the call's error.
    /// </summary>
    public Action<RpcInvocation>? BeforeAgentEndpoint { get; set; }

    /// <summary>Registers <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">The name is registered already (use <see cref="Replace"/>).</exception>
    public void Add(string name, BuiltinHandler handler, bool yieldsToAgent = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(handler);
        if (Find(Encoding.UTF8.GetBytes(name)) is not null)
        {
            throw new InvalidOperationException($"the built-in {name} is registered already");
        }

        var builtin = new Builtin(name, handler, yieldsToAgent);
        if (name.StartsWith('_'))
        {
            _reserved = [.. _reserved, builtin];
        }
        else
        {
            _plain = [.. _plain, builtin];
        }
    }

    /// <summary>Answers the registered <paramref name="name"/> with <paramref name="handler"/> from now on (a feature taking over a default answer).</summary>
    /// <exception cref="InvalidOperationException">Nothing is registered under the name.</exception>
    public void Replace(string name, BuiltinHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var list = name.StartsWith('_') ? _reserved : _plain;
        var index = Array.FindIndex(list, b => b.Name == name);
        if (index < 0)
        {
            throw new InvalidOperationException($"the built-in {name} is not registered");
        }

        list[index] = new Builtin(name, handler, list[index].YieldsToAgent);
    }

    /// <summary>The built-in named <paramref name="name"/>, or <c>null</c>.</summary>
    public Builtin? Find(ReadOnlySpan<byte> name)
    {
        foreach (var builtin in !name.IsEmpty && name[0] == (byte)'_' ? _reserved : _plain)
        {
            if (name.SequenceEqual(builtin.Utf8Name))
            {
                return builtin;
            }
        }

        return null;
    }
}
