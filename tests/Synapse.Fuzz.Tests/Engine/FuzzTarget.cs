namespace Synapse.Fuzz.Tests.Engine;

/// <summary>
/// One decoder an attacker can reach. <see cref="Seeds"/> are real encodings from our own writers; <see cref="Run"/>
/// decodes one input and may throw only the exceptions the decoder documents (<see cref="IsExpected"/>): any other
/// exception is a finding, as is a run over the watchdog's budget or an allocation over <see cref="AllocationBound"/>.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The name used on the command line and in findings.</summary>
    public abstract string Name { get; }

    /// <summary>Valid inputs made by encoding real objects.</summary>
    public abstract IEnumerable<byte[]> Seeds();

    /// <summary>Decodes <paramref name="input"/> as an attacker-controlled peer's bytes are decoded.</summary>
    public abstract void Run(byte[] input);

    /// <summary>Whether <paramref name="exception"/> is one the decoder documents for bad input.</summary>
    public abstract bool IsExpected(Exception exception);

    /// <summary>Tokens the mutator may insert (text formats); none for binary formats.</summary>
    public virtual IReadOnlyList<byte[]> Dictionary => [];

    /// <summary>
    /// The most one input may allocate: <see cref="AllocationPerByte"/> × its size + <see cref="AllocationFixed"/>.
    /// Decoders that build objects per element need more per byte; signature checks and handshakes need a fixed part.
    /// </summary>
    public long AllocationBound(int inputLength) => (AllocationPerByte * inputLength) + AllocationFixed;

    /// <summary>Bytes of allocation allowed per input byte.</summary>
    public virtual long AllocationPerByte => 64;

    /// <summary>Bytes of allocation allowed regardless of size.</summary>
    public virtual long AllocationFixed => 16 * 1024;

    /// <summary>Called once before a run, on the thread that runs the inputs (for keys and warm-up).</summary>
    public virtual void Prepare()
    {
    }
}
