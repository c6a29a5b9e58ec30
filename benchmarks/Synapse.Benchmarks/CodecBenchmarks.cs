using System.Buffers;
using BenchmarkDotNet.Attributes;
using Synapse.Buffers;
using Synapse.MessagePack;

namespace Synapse.Benchmarks;

/// <summary>The MessagePack codec on a synapse-p2p request map.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly PooledBufferWriter _buffer = new(1024);
    private byte[] _request = [];

    [GlobalSetup]
    public void Setup()
    {
        WriteRequest();
        _request = _buffer.WrittenSpan.ToArray();
    }

    [Benchmark]
    public int WriteRequest()
    {
        _buffer.Reset();
        var writer = new MsgPackWriter(_buffer);
        writer.WriteMapHeader(5);
        writer.WriteStringUtf8("endpoint"u8);
        writer.WriteString("sum");
        writer.WriteStringUtf8("id"u8);
        writer.WriteString("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        writer.WriteStringUtf8("args"u8);
        writer.WriteArrayHeader(2);
        writer.WriteInt32(1);
        writer.WriteInt32(2);
        writer.WriteStringUtf8("kwargs"u8);
        writer.WriteMapHeader(0);
        writer.WriteStringUtf8("type"u8);
        writer.WriteStringUtf8("request"u8);
        writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public long ReadRequest()
    {
        var reader = new MsgPackReader(new ReadOnlySequence<byte>(_request));
        long total = 0;
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            total += reader.ReadStringSequence().Length;
            reader.Skip();
        }

        return total;
    }

    [Benchmark]
    public MsgPackValue ParseDom() => MsgPackValue.Parse(_request);
}
