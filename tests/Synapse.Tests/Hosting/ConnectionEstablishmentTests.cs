using System.Buffers;
using Synapse.Hosting;
using Synapse.Tests.MessagePack;
using Synapse.Transport.Framing;
using Synapse.Transport.Secure;

namespace Synapse.Tests.Hosting;

public sealed class ConnectionEstablishmentTests
{
    [Fact]
    public void A_frame_that_starts_with_the_magic_opens_a_handshake()
    {
        Assert.True(ConnectionEstablishment.StartsHandshake(Bytes(FirstFrame(64))));
        Assert.True(ConnectionEstablishment.StartsHandshake(TestSequences.SplitAt(FirstFrame(64), 2, 7, 13)));
    }

    [Fact]
    public void Undecided_until_the_length_and_the_magic_have_arrived()
    {
        var frame = FirstFrame(64);

        Assert.Null(ConnectionEstablishment.StartsHandshake(Bytes(frame[..3])));
        Assert.Null(ConnectionEstablishment.StartsHandshake(Bytes(frame[..Frames.HeaderSize])));
        Assert.Null(ConnectionEstablishment.StartsHandshake(Bytes(frame[..(Frames.HeaderSize + 5)])));
    }

    [Fact]
    public void Anything_else_is_plaintext_as_soon_as_a_byte_differs_or_the_length_rules_it_out()
    {
        var request = TestCalls.Frame("""{"id":"1","endpoint":"sum","args":[1,2]}""");
        Assert.False(ConnectionEstablishment.StartsHandshake(Bytes(request)));
        Assert.False(ConnectionEstablishment.StartsHandshake(Bytes(request[..(Frames.HeaderSize + 1)])));

        var differs = FirstFrame(64);
        differs[Frames.HeaderSize + 3] ^= 1;
        Assert.False(ConnectionEstablishment.StartsHandshake(Bytes(differs[..(Frames.HeaderSize + 4)])));

        Assert.False(ConnectionEstablishment.StartsHandshake(Bytes(FirstFrame(SecureLink.MaxFirstFrame + 1))));
        Assert.False(ConnectionEstablishment.StartsHandshake(Bytes(FirstFrame(SecureLink.Magic.Length - 1)[..(Frames.HeaderSize + 4)])));
    }

    /// <summary>A frame of <paramref name="length"/> bytes that starts with as much of the magic as fits.</summary>
    private static byte[] FirstFrame(int length)
    {
        var frame = new byte[Frames.HeaderSize + length];
        Frames.WriteHeader(frame, length);
        SecureLink.Magic[..Math.Min(length, SecureLink.Magic.Length)].CopyTo(frame.AsSpan(Frames.HeaderSize));
        return frame;
    }

    private static ReadOnlySequence<byte> Bytes(byte[] bytes) => new(bytes);
}
