using System.Buffers;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Transport.Framing;

namespace Synapse.Tasks;

/// <summary>
/// Where a task's call sends its stream items and progress reports: into the task's updates instead of onto a
/// connection. Each item is taken at once and its credit given back, so a task runs at its own pace whoever follows
/// it; subscribers that fall behind get a snapshot (<see cref="AgentTaskEntry.FollowAsync"/>).
/// </summary>
internal sealed class TaskSink(AgentTasks tasks, AgentTaskEntry task, int maxItemSize) : IStreamSink
{
    private RpcInvocation? _call;

    public int PeerMaxFrameSize => maxItemSize;

    public bool TakesProgress => true;

    public void Track(RpcInvocation invocation) => _call = invocation;

    public bool TrySend(IOutboundFrame frame)
    {
        var payload = new ReadOnlySequence<byte>(frame.Frame[Frames.HeaderSize..]);
        if (RpcResponseParser.TryParse(payload, MsgPackReaderOptions.Default, out var parsed, allowItems: true) is null && parsed.IsItem)
        {
            var reader = new MsgPackReader(parsed.Result);
            tasks.Report(task, parsed.IsProgress ? AgentTaskUpdateKind.Progress : AgentTaskUpdateKind.Item, MsgPackValue.ReadFrom(ref reader), (int)parsed.Result.Length);
        }

        frame.OnWritten();
        if (!parsed.IsProgress)
        {
            _call?.GrantCredit(1);
        }

        return true;
    }
}
