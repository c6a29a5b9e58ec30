using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Synapse.Tests.Relay;

/// <summary>A client of the relay's Summoner listener written from the spec: raw TCP, newline-delimited lines.</summary>
internal sealed class SummonerLineClient : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly List<byte> _pending = [];
    private readonly byte[] _buffer = new byte[64 * 1024];

    private SummonerLineClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>This client's address as the relay writes it in <c>remote_addr</c>.</summary>
    public string Address => ((IPEndPoint)_client.Client.LocalEndPoint!).ToString();

    public static async Task<SummonerLineClient> ConnectAsync(IPEndPoint relay, IPAddress? from = null)
    {
        var client = new TcpClient(new IPEndPoint(from ?? IPAddress.Loopback, 0));
        await client.ConnectAsync(relay);
        return new SummonerLineClient(client);
    }

    public Task SendLineAsync(string line) => SendAsync(Encoding.UTF8.GetBytes(line + "\n"));

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next line without its newline, or null at end of stream (a final unterminated text is returned as a line).</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var newline = _pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(_pending.GetRange(0, newline).ToArray());
                _pending.RemoveRange(0, newline + 1);
                return line;
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer, deadline.Token);
            }
            catch (IOException)
            {
                read = 0;
            }

            if (read == 0)
            {
                if (_pending.Count == 0)
                {
                    return null;
                }

                var rest = Encoding.UTF8.GetString(_pending.ToArray());
                _pending.Clear();
                return rest;
            }

            _pending.AddRange(_buffer.AsSpan(0, read).ToArray());
        }
    }

    /// <summary>True when no line arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> IsQuietAsync(TimeSpan wait)
    {
        try
        {
            return await ReadLineAsync(wait) is null;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>Every line until the relay closes the connection.</summary>
    public async Task<List<string>> ReadToEndAsync(TimeSpan? timeout = null)
    {
        var lines = new List<string>();
        while (await ReadLineAsync(timeout) is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
