using System.Net;

namespace Synapse.Rpc;

/// <summary>
/// What a handler may know about the call it serves. Declare a parameter of this type on an endpoint to receive it;
/// like <see cref="System.Threading.CancellationToken"/> it is bound by the runtime, not sent on the wire.
/// </summary>
public sealed class CallContext
{
    private readonly ITaskInput? _task;

    internal CallContext(string endpoint, string requestId, EndPoint? remoteEndPoint, string? peerId, CancellationToken cancellationToken, ITaskInput? task = null, object? attachment = null)
    {
        _task = task;
        Attachment = attachment;
        Endpoint = endpoint;
        RequestId = requestId;
        RemoteEndPoint = remoteEndPoint;
        PeerId = peerId;
        CancellationToken = cancellationToken;
    }

    /// <summary>The endpoint name that was called.</summary>
    public string Endpoint { get; }

    /// <summary>The request id chosen by the caller.</summary>
    public string RequestId { get; }

    /// <summary>The caller's network address, when the transport has one.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The caller's authenticated agent id on secure links; <c>null</c> on plaintext links.</summary>
    public string? PeerId { get; }

    /// <summary>Cancelled when the caller cancels, disconnects, or the host stops.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>What a layer above attached to the call (a swarm broadcast's envelope: <c>SwarmBroadcast.Of</c>).</summary>
    internal object? Attachment { get; }

    /// <summary>The task id when the call runs as a long-running task (<c>_synapse.task.start</c>); otherwise <c>null</c>.</summary>
    public string? TaskId => _task?.TaskId;

    /// <summary>
    /// Asks the caller a question and waits for the answer: the task enters <c>input-required</c> with
    /// <paramref name="prompt"/>, its subscribers see it, and it goes on working once someone answers with
    /// <c>_synapse.task.input</c>. Only a call running as a task can ask.
    /// </summary>
    /// <param name="prompt">The question, as the caller will read it.</param>
    /// <param name="cancellationToken">Stops waiting (the call's own token stops it too).</param>
    /// <returns>The answer, as the caller sent it.</returns>
    /// <exception cref="RpcException"><c>bad_request</c>: the call is not running as a task; <c>timeout</c>: no answer came within the host's input timeout.</exception>
    public ValueTask<Synapse.MessagePack.MsgPackValue> RequestInputAsync(string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return _task is { } task
            ? task.RequestInputAsync(prompt, cancellationToken)
            : throw new RpcException(RpcErrorCodes.BadRequest, $"{Endpoint} asks its caller for input ('{prompt}'): start it as a task (_synapse.task.start) to answer") { Endpoint = Endpoint };
    }
}

/// <summary>The task a call runs as, for <see cref="CallContext.RequestInputAsync"/>.</summary>
internal interface ITaskInput
{
    string TaskId { get; }

    ValueTask<Synapse.MessagePack.MsgPackValue> RequestInputAsync(string prompt, CancellationToken cancellationToken);
}
