using System.Text;
using Synapse.Hosting;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Reputation;

/// <summary>
/// The <c>_agent.evidence(subject)</c> built-in: answers
/// <c>{subject, evidence, items, available, truncated}</c>, where <c>evidence</c> is the encoded
/// <see cref="EvidenceSet"/> the host's <see cref="ReputationBook"/> holds about <c>subject</c>, cut with
/// <see cref="EvidenceSet.Fit"/> to what one response can carry. Finding a subject's evidence walks the whole book
/// (its signatures were checked when added, not again), so answers are computed one at a time, off the connections'
/// loops; a few more calls wait, and beyond them a caller is told the server is busy. Registered on each host that
/// starts with <c>AgentHostOptions.ReputationBook</c> set (<see cref="ReputationHostingExtensions"/>).
/// </summary>
internal sealed class EvidenceEndpoint(ReputationBook book) : IHostService
{
    /// <summary>The wire name.</summary>
    public const string Name = "_agent.evidence";

    /// <summary>Room left in a response for its envelope and the result map around the evidence.</summary>
    internal const int ResponseReserve = 256;

    private const int MaxEchoedLength = 80;

    /// <summary>Calls allowed to wait for their turn; more are refused at once.</summary>
    internal const int MaxWaiting = 8;

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private int _queued;

    /// <summary>Runs before each answer is computed (tests hold answers here to see the calls queue).</summary>
    internal Action? BeforeAnswer { get; set; }

    /// <summary>Nothing runs between calls.</summary>
    public Task StopAsync() => Task.CompletedTask;

    /// <summary>Reads the subject now (the arguments live in a transport buffer), then builds the answer off the connection's loop.</summary>
    /// <exception cref="RpcException">The argument is missing or not an agent id (<c>bad_request</c>).</exception>
    public ValueTask InvokeAsync(RpcInvocation call)
    {
        AgentId subject = ReadSubject(call);
        int budget = Budget(call);
        return new ValueTask(AnswerAsync(call, subject, budget));
    }

    /// <summary>The largest encoded set the caller accepts in one response.</summary>
    internal static int Budget(RpcInvocation call)
    {
        long room = (long)call.MaxResponseSize - ResponseReserve - Encoding.UTF8.GetByteCount(call.RequestId);
        return (int)Math.Clamp(room, 0, EvidenceLimits.MaxEncodedSize);
    }

    private async Task AnswerAsync(RpcInvocation call, AgentId subject, int budget)
    {
        if (Interlocked.Increment(ref _queued) > MaxWaiting + 1)
        {
            Interlocked.Decrement(ref _queued);
            throw new RpcException(RpcErrorCodes.BadRequest, $"{RpcProtocol.ServerBusyPrefix} {Name} is answering other callers; try again later");
        }

        try
        {
            CancellationToken cancellation = call.CancellationToken;
            await _oneAtATime.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                await Task.Run(() => Answer(call, subject, budget), cancellation).ConfigureAwait(false);
            }
            finally
            {
                _oneAtATime.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
    }

    private void Answer(RpcInvocation call, AgentId subject, int budget)
    {
        BeforeAnswer?.Invoke();
        EvidenceSet all = book.Evidence(subject);
        call.CancellationToken.ThrowIfCancellationRequested();
        EvidenceSet sent = all.Fit(subject, budget);
        byte[] encoded = sent.Encode();
        var writer = call.BeginResult();
        writer.WriteMapHeader(5);
        writer.WriteString("subject");
        writer.WriteString(subject.ToString());
        writer.WriteString("evidence");
        writer.WriteBinary(encoded);
        writer.WriteString("items");
        writer.WriteInt32(sent.Count);
        writer.WriteString("available");
        writer.WriteInt32(all.Count);
        writer.WriteString("truncated");
        writer.WriteBoolean(sent.Count < all.Count);
        call.EndResult(ref writer);
    }

    private static AgentId ReadSubject(RpcInvocation call)
    {
        var arguments = BuiltinArguments.Read(call, "subject");
        var value = arguments.Required(0, "subject", "the agent id (did:key:z…) to fetch the evidence about");

        if (value.Type != MsgPackType.String)
        {
            throw arguments.Bad($"the subject must be an agent id string (did:key:z…), not {value.Type.ToString().ToLowerInvariant()}");
        }

        string text = value.AsString();
        return AgentId.TryParse(text, out AgentId subject, out string? error)
            ? subject
            : throw arguments.Bad($"the subject '{Echo(text)}' is not an agent id: {error}");
    }

    private static string Echo(string text) => text.Length <= MaxEchoedLength ? text : string.Concat(text.AsSpan(0, MaxEchoedLength), "…");
}
