using System.Security.Cryptography;
using System.Text;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Artifacts;

/// <summary>
/// A small document a node serves to peers (synapse-p2p's artifacts): its content inline, with a MIME type, and a size
/// and SHA-256 over its bytes. Text is served as is (<c>encoding: "text"</c>, hashed as UTF-8), bytes as base64
/// (<c>"base64"</c>, hashed as the bytes), anything else as the value (<c>"json"</c>, hashed as Python's
/// <c>json.dumps(content, sort_keys=True, separators=(",", ":"))</c>), so a Python node computes the same digest.
/// </summary>
/// <param name="Name">The artifact's name, unique on a node (<c>agent-card</c>, for one).</param>
/// <param name="MimeType">What the content is; Synapse does not interpret it.</param>
/// <param name="Content">The content as served: a string, base64 text, or a value.</param>
/// <param name="Kind">A free-form category (<c>metadata</c> by default).</param>
/// <param name="Description">For people.</param>
/// <param name="Encoding"><c>text</c>, <c>base64</c> or <c>json</c>.</param>
/// <param name="Size">The length of the hashed bytes.</param>
/// <param name="Sha256">The SHA-256 of the hashed bytes, lowercase hex.</param>
/// <param name="Metadata">A map of anything else.</param>
public sealed record ServedArtifact(
    string Name,
    string MimeType,
    MsgPackValue Content,
    string Kind,
    string Description,
    string Encoding,
    long Size,
    string Sha256,
    MsgPackValue Metadata)
{
    /// <summary>The MIME type of an agent card, as synapse-p2p's examples publish it.</summary>
    public const string AgentCardMimeType = "application/vnd.synapse.agent-card+json";

    /// <summary>An artifact whose content is a value (a map, a list, a number…), hashed as its canonical JSON.</summary>
    /// <exception cref="ArgumentException">The name is empty, or the value has no JSON form (binary inside it, for one).</exception>
    public static ServedArtifact FromValue(string name, MsgPackValue content, string mimeType = "application/json", string kind = "metadata", string description = "", MsgPackValue? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return content.Type switch
        {
            MsgPackType.String => FromText(name, content.AsString(), mimeType, kind, description, metadata),
            MsgPackType.Binary => FromBytes(name, content.AsBinary(), mimeType, kind, description, metadata),
            _ => Make(name, content, mimeType, kind, description, "json", PythonJson.Canonical(content), metadata),
        };
    }

    /// <summary>An artifact whose content is text, hashed as UTF-8.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public static ServedArtifact FromText(string name, string content, string mimeType = "text/plain", string kind = "metadata", string description = "", MsgPackValue? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Make(name, content, mimeType, kind, description, "text", System.Text.Encoding.UTF8.GetBytes(content), metadata);
    }

    /// <summary>An artifact whose content is bytes, served as base64.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public static ServedArtifact FromBytes(string name, ReadOnlyMemory<byte> content, string mimeType = "application/octet-stream", string kind = "metadata", string description = "", MsgPackValue? metadata = null) =>
        Make(name, Convert.ToBase64String(content.Span), mimeType, kind, description, "base64", content.ToArray(), metadata);

    /// <summary>The full artifact, as <c>_synapse.artifact.get</c> answers it.</summary>
    public MsgPackValue ToMsgPack() => MsgPackValue.Map(
    [
        ("name", Name), ("mime_type", MimeType), ("content", Content), ("kind", Kind), ("description", Description),
        ("encoding", Encoding), ("size", Size), ("sha256", Sha256), ("metadata", Metadata),
    ]);

    /// <summary>The descriptor (everything but the content), as <c>_synapse.artifacts</c> lists it.</summary>
    public MsgPackValue DescriptorToMsgPack() => MsgPackValue.Map(
    [
        ("name", Name), ("mime_type", MimeType), ("kind", Kind), ("description", Description),
        ("encoding", Encoding), ("size", Size), ("sha256", Sha256), ("metadata", Metadata),
    ]);

    /// <summary>
    /// The bytes <see cref="Size"/> and <see cref="Sha256"/> are over, recomputed from the content; compare with
    /// <see cref="Matches"/> to check an artifact a peer served.
    /// </summary>
    /// <exception cref="ArgumentException">The content does not fit its encoding (base64 that does not decode, a value with no JSON form).</exception>
    public byte[] HashedBytes() => Encoding switch
    {
        "text" when Content.Type == MsgPackType.String => System.Text.Encoding.UTF8.GetBytes(Content.AsString()),
        "base64" when Content.Type == MsgPackType.String => Base64(Content.AsString()),
        _ when Content.Type is not (MsgPackType.String or MsgPackType.Binary) => PythonJson.Canonical(Content),
        _ => throw new ArgumentException($"artifact '{Name}': {Content.Type} content does not fit encoding '{Encoding}'"),
    };

    /// <summary>Whether <see cref="Size"/> and <see cref="Sha256"/> are those of the content (the node served it intact).</summary>
    public bool Matches()
    {
        try
        {
            var bytes = HashedBytes();
            return bytes.LongLength == Size && Convert.ToHexStringLower(SHA256.HashData(bytes)) == Sha256;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Reads an artifact or a descriptor (its <see cref="Content"/> nil) a node sent.</summary>
    /// <exception cref="RpcException"><c>protocol_error</c>: the value is not one, naming the field.</exception>
    public static ServedArtifact FromMsgPack(MsgPackValue value) => WireMap.Read("artifact", value, fields => new ServedArtifact(
        fields.String("name"),
        fields.String("mime_type"),
        fields.Value("content") ?? MsgPackValue.Nil,
        fields.OptionalString("kind") ?? "metadata",
        fields.OptionalString("description") ?? "",
        fields.OptionalString("encoding") ?? "json",
        fields.OptionalInteger("size") ?? 0,
        fields.OptionalString("sha256") ?? "",
        fields.Value("metadata") ?? MsgPackValue.Map([])));

    private static ServedArtifact Make(string name, MsgPackValue content, string mimeType, string kind, string description, string encoding, byte[] hashed, MsgPackValue? metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(mimeType);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(description);
        if (metadata is { Type: not MsgPackType.Map })
        {
            throw new ArgumentException($"artifact '{name}': metadata must be a map, not {metadata.Type}", nameof(metadata));
        }

        return new ServedArtifact(name, mimeType, content, kind, description, encoding, hashed.LongLength, Convert.ToHexStringLower(SHA256.HashData(hashed)), metadata ?? MsgPackValue.Map([]));
    }

    private static byte[] Base64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"base64 content that does not decode: {e.Message}", e);
        }
    }
}
