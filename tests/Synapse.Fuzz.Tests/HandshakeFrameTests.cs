using System.Buffers.Binary;
using Synapse.Crypto.Noise;
using Synapse.Fuzz.Tests.Targets;
using Synapse.Transport.Secure;

namespace Synapse.Fuzz.Tests;

/// <summary>
/// Regressions of the noise-first target's finding: the relay hands every new connection's first frame to
/// <see cref="SecureLink.AcceptAsync"/>, which sliced off the magic without checking it, so a frame shorter than the
/// magic threw <see cref="ArgumentOutOfRangeException"/>, which the relay's admission does not catch (the connection
/// was neither logged nor closed).
/// </summary>
public sealed class HandshakeFrameTests
{
    [Theory]
    [InlineData("")]
    [InlineData("53594E41")]
    [InlineData("53594E415053452D4E4F4953452F31")]
    public void A_first_frame_shorter_than_the_magic_is_a_handshake_failure(string hex)
    {
        var error = Record.Exception(() => Accept(Convert.FromHexString(hex)));

        var noise = Assert.IsType<NoiseException>(error);
        Assert.Contains("magic", noise.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_first_frame_without_the_magic_is_a_handshake_failure()
    {
        using var initiator = NoiseXXHandshake.CreateInitiator(Fixtures.Alice, "synapse-noise/1"u8);
        byte[] frame = [.. "SYNAPSE-NOISE/2\n"u8, .. initiator.WriteMessage()];

        var error = Record.Exception(() => Accept(frame));

        Assert.Contains("magic", Assert.IsType<NoiseException>(error).Message, StringComparison.Ordinal);
    }

    private static void Accept(byte[] first)
    {
        var framed = new byte[4 + first.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed, first.Length);
        first.CopyTo(framed, 4);
        using var credential = NoiseStaticCredential.Create(Fixtures.Bob);
        SecureLink.AcceptAsync(new PipeConnection(framed), credential, null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }
}
