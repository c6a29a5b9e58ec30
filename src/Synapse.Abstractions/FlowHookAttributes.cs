namespace Synapse;

/// <summary>Which messages a hook sees.</summary>
public enum HookDirection
{
    /// <summary>Messages arriving, before the receivers.</summary>
    Receive,

    /// <summary>Messages leaving, after the senders.</summary>
    Send,
}

/// <summary>
/// A hook: takes a payload and returns it (changed or not), or null to drop the message. Hooks run in ascending
/// <see cref="Priority"/>; two hooks of one direction may not share a priority.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class HookAttribute(HookDirection direction) : Attribute
{
    /// <summary>Which messages the hook sees.</summary>
    public HookDirection Direction { get; } = direction;

    /// <summary>Order among hooks of the same direction (lower first).</summary>
    public int[] Priority { get; set; } = [];
}

/// <summary>
/// Gives the flow the agent's states for a received message (a state, a list, or a dictionary from key to state or
/// states): the method takes the payload and returns them.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class UploadStatesAttribute : Attribute
{
}

/// <summary>Receives the states the flow reached after each batch of receivers.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DownloadStatesAttribute : Attribute
{
}

/// <summary>
/// Declares an arrow style for the node's routes besides the default (<c>-</c>, <c>[</c> <c>]</c>, <c>,</c>,
/// <c>&gt;</c>, which writes <c>a --[ t ]--&gt; b</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ArrowStyleAttribute(string stem, string left, string right, string separator, string tip) : Attribute
{
    /// <summary>One character, doubled around labels (<c>-</c> gives <c>--</c>).</summary>
    public string Stem { get; } = stem;

    /// <summary>The bracket before a label.</summary>
    public string Left { get; } = left;

    /// <summary>The bracket after a label.</summary>
    public string Right { get; } = right;

    /// <summary>What separates several sources, labels or targets.</summary>
    public string Separator { get; } = separator;

    /// <summary>The arrow's tip.</summary>
    public string Tip { get; } = tip;
}
