namespace Synapse.Fuzz.Tests.Engine;

/// <summary>What kind of misbehaviour an input caused.</summary>
public enum FindingKind
{
    /// <summary>An exception the decoder does not document.</summary>
    Crash,

    /// <summary>The input ran longer than the watchdog's budget.</summary>
    Hang,

    /// <summary>The input allocated more than the target's bound for its size.</summary>
    Allocation,
}

/// <summary>One input that misbehaved.</summary>
public sealed record Finding(string Target, FindingKind Kind, byte[] Input, string Detail)
{
    /// <summary>The input as hex, for test failures and reports.</summary>
    public string Hex => Convert.ToHexString(Input);

    /// <inheritdoc />
    public override string ToString() => $"{Target} {Kind}: {Detail}\n  input ({Input.Length} bytes): {Hex}";
}
