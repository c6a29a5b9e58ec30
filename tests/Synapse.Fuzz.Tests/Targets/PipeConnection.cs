using System.IO.Pipelines;
using System.Net;
using Synapse.Transport;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>A connection whose peer has sent <paramref name="received"/> and closed; what we send is dropped.</summary>
internal sealed class PipeConnection : ITransportConnection, IDuplexPipe
{
    private readonly Pipe _output = new();

    public PipeConnection(byte[] received) => Input = PipeReader.Create(new MemoryStream(received));

    public IDuplexPipe Pipe => this;

    public PipeReader Input { get; }

    public PipeWriter Output => _output.Writer;

    /// <summary>Whether anything was sent back (a handshake reply means the first message was accepted).</summary>
    public bool Replied => _output.Reader.TryRead(out var read) && !read.Buffer.IsEmpty;

    public EndPoint? RemoteEndPoint => null;

    public EndPoint? LocalEndPoint => null;

    public string? PeerId => null;

    public void Abort()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
