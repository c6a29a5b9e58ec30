using System.Text.Json;
using Synapse.Crypto.Noise;
using Xunit.Abstractions;

namespace Synapse.Tests.Crypto.Noise;

/// <summary>
/// The cacophony vectors for the 25519/ChaChaPoly/SHA256 suites (<c>tests/vectors/noise/</c>): every handshake
/// message, the handshake hash, and the transport messages that follow.
/// </summary>
public class NoiseVectorTests(ITestOutputHelper output)
{
    private static readonly Lazy<List<JsonElement>> Vectors = new(() =>
    {
        string path = VectorFiles.Path("noise", "cacophony-25519-chachapoly-sha256.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.GetProperty("vectors").EnumerateArray().Select(v => v.Clone())];
    });

    public static TheoryData<int, string> SupportedCases()
    {
        var data = new TheoryData<int, string>();
        for (int i = 0; i < Vectors.Value.Count; i++)
        {
            string name = Vectors.Value[i].GetProperty("protocol_name").GetString()!;
            if (NoiseProtocol.TryParse(name, out _, out _))
            {
                data.Add(i, name);
            }
        }

        return data;
    }

    [Fact]
    public void Every_protocol_in_the_file_is_supported_and_XX_is_covered()
    {
        var counts = Vectors.Value
            .GroupBy(v => v.GetProperty("protocol_name").GetString()!)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Count: g.Count(), Supported: NoiseProtocol.TryParse(g.Key, out _, out _)))
            .ToList();
        foreach (var (name, count, supported) in counts)
        {
            output.WriteLine($"{name}: {count} case(s), {(supported ? "run" : "skipped (unsupported)")}");
        }

        Assert.All(counts, c => Assert.True(c.Supported, c.Name));
        Assert.Contains(counts, c => c.Name == "Noise_XX_25519_ChaChaPoly_SHA256" && c.Count >= 1);
    }

    [Theory]
    [MemberData(nameof(SupportedCases))]
    public void Case_reproduces_every_message_and_the_handshake_hash(int index, string protocolName)
    {
        JsonElement vector = Vectors.Value[index];
        NoiseProtocol protocol = NoiseProtocol.Parse(protocolName);
        using NoiseHandshakeState initiator = new(
            protocol, initiator: true, Bytes(vector, "init_prologue"), Bytes(vector, "init_static"), Bytes(vector, "init_remote_static"),
            Psks(vector, "init_psks"), Bytes(vector, "init_ephemeral"));
        using NoiseHandshakeState responder = new(
            protocol, initiator: false, Bytes(vector, "resp_prologue"), Bytes(vector, "resp_static"), Bytes(vector, "resp_remote_static"),
            Psks(vector, "resp_psks"), Bytes(vector, "resp_ephemeral"));

        JsonElement[] messages = [.. vector.GetProperty("messages").EnumerateArray()];
        int i = 0;
        for (; !initiator.IsCompleted; i++)
        {
            bool fromInitiator = protocol.Pattern.IsOneWay || i % 2 == 0;
            NoiseHandshakeState sender = fromInitiator ? initiator : responder;
            NoiseHandshakeState receiver = fromInitiator ? responder : initiator;
            byte[] payload = Bytes(messages[i], "payload");
            Assert.True(sender.IsMyTurnToWrite);
            Assert.False(receiver.IsMyTurnToWrite);
            byte[] message = sender.WriteMessage(payload);
            Assert.Equal(Hex(messages[i], "ciphertext"), Convert.ToHexString(message));
            Assert.Equal(Convert.ToHexString(payload), Convert.ToHexString(receiver.ReadMessage(message)));
        }

        Assert.True(responder.IsCompleted);
        Assert.Equal(protocol.Pattern.Messages.Count, i);
        if (vector.TryGetProperty("handshake_hash", out JsonElement hash))
        {
            Assert.Equal(hash.GetString(), Convert.ToHexString(initiator.GetHandshakeHash()), ignoreCase: true);
            Assert.Equal(hash.GetString(), Convert.ToHexString(responder.GetHandshakeHash()), ignoreCase: true);
        }

        Assert.Equal(Convert.ToHexString(initiator.LocalStaticPublicKey), Convert.ToHexString(responder.RemoteStaticPublicKey));
        Assert.Equal(Convert.ToHexString(responder.LocalStaticPublicKey), Convert.ToHexString(initiator.RemoteStaticPublicKey));

        var (initiatorSend, initiatorReceive) = initiator.TakeCipherStates();
        var (responderSend, responderReceive) = responder.TakeCipherStates();
        using (initiatorSend)
        using (initiatorReceive)
        using (responderSend)
        using (responderReceive)
        {
            int transportMessages = 0;
            for (; i < messages.Length; i++, transportMessages++)
            {
                bool fromInitiator = protocol.Pattern.IsOneWay || i % 2 == 0;
                NoiseCipherState send = fromInitiator ? initiatorSend : responderSend;
                NoiseCipherState receive = fromInitiator ? responderReceive : initiatorReceive;
                byte[] payload = Bytes(messages[i], "payload");
                byte[] ciphertext = new byte[payload.Length + NoiseCipherState.TagSize];
                send.EncryptWithAd([], payload, ciphertext);
                Assert.Equal(Hex(messages[i], "ciphertext"), Convert.ToHexString(ciphertext));
                byte[] plaintext = new byte[payload.Length];
                receive.DecryptWithAd([], ciphertext, plaintext);
                Assert.Equal(payload, plaintext);
            }

            output.WriteLine($"{protocolName}: {protocol.Pattern.Messages.Count} handshake and {transportMessages} transport messages reproduced.");
        }
    }

    private static byte[] Bytes(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) ? Convert.FromHexString(value.GetString()!) : [];

    private static string Hex(JsonElement element, string name) => Convert.ToHexString(Bytes(element, name));

    private static List<byte[]>? Psks(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) ? [.. value.EnumerateArray().Select(p => Convert.FromHexString(p.GetString()!))] : null;
}
