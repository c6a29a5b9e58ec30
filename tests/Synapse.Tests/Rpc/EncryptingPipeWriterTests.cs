using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Synapse.Crypto.Noise;
using Synapse.Identity;
using Synapse.Transport.Secure;
using Xunit;

namespace Synapse.Tests.Rpc;

public sealed class EncryptingPipeWriterTests
{
    [Fact]
    public async Task Unflushed_writes_larger_than_a_noise_message_go_out_as_ordered_frames_that_decrypt_to_the_input()
    {
        var (sender, receiver) = Sessions();
        var socket = new Pipe(new PipeOptions(pauseWriterThreshold: 0)); // nobody reads until the end
        var writer = new EncryptingPipeWriter(socket.Writer, sender);
        var plaintext = new byte[3 * NoiseTransport.MaxPlaintextLength + 12_345];
        Random.Shared.NextBytes(plaintext);

        // Uneven writes, one of them asking for more room than the initial buffer, and no flush until the end.
        var offset = 0;
        foreach (var size in new[] { 1, 700, 40_000, 100_000 })
        {
            var span = writer.GetSpan(size);
            plaintext.AsSpan(offset, size).CopyTo(span);
            writer.Advance(size);
            offset += size;
        }

        plaintext.AsSpan(offset).CopyTo(writer.GetSpan(plaintext.Length - offset));
        writer.Advance(plaintext.Length - offset);
        await writer.CompleteAsync();

        var frames = (await socket.Reader.ReadAsync()).Buffer.ToArray();
        var received = new ArrayBufferWriter<byte>();
        var count = 0;
        for (var at = 0; at < frames.Length; count++)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(frames.AsSpan(at));
            Assert.InRange(length, NoiseTransport.TagSize + 1, NoiseTransport.MaxMessageLength);
            receiver.DecryptFrame(frames.AsSpan(at + 4, length), received);
            at += 4 + length;
        }

        Assert.Equal(4, count);
        Assert.Equal(plaintext, received.WrittenSpan.ToArray());
    }

    [Fact]
    public void Advancing_past_the_span_handed_out_is_refused_and_writing_after_completion_fails()
    {
        var (sender, _) = Sessions();
        var writer = new EncryptingPipeWriter(new Pipe().Writer, sender);
        var length = writer.GetSpan(10).Length;
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(length + 1));
        writer.Complete();
        Assert.Throws<ObjectDisposedException>(() => writer.GetSpan());
    }

    private static (NoiseSession Sender, NoiseSession Receiver) Sessions()
    {
        using var alice = AgentIdentity.Generate();
        using var bob = AgentIdentity.Generate();
        using var initiator = NoiseXXHandshake.CreateInitiator(alice);
        using var responder = NoiseXXHandshake.CreateResponder(bob);
        responder.ReadMessage(initiator.WriteMessage());
        initiator.ReadMessage(responder.WriteMessage());
        responder.ReadMessage(initiator.WriteMessage());
        return (initiator.Complete(), responder.Complete());
    }
}
