using System.Text.Json;
using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;

namespace Synapse.Tests.Relay.Configuration;

public sealed class RelayLogTests
{
    private static readonly FixedTime Clock = new(new DateTimeOffset(2024, 3, 5, 7, 8, 9, TimeSpan.Zero).AddTicks(1234567));

    private static KeyValuePair<string, object?>[] Fields(params (string Key, object? Value)[] fields) =>
        [.. fields.Select(f => new KeyValuePair<string, object?>(f.Key, f.Value))];

    [Fact]
    public void Console_line_has_timestamp_name_level_message_and_fields()
    {
        var console = new StringWriter();
        using var log = new RelayLog("synapse.relay", new RelayLogOptions(), console, Clock);
        log.Write(RelayLogLevel.Warning, "quarantined", Fields(("agent", "did:key:z6Mk"), ("queued", 42), ("reason", "too many queued")));
        Assert.Equal("2024-03-05 07:08:09.123 - synapse.relay - WARNING - quarantined agent=did:key:z6Mk queued=42 reason=\"too many queued\"" + Environment.NewLine,
            console.ToString());
    }

    [Fact]
    public void Newlines_in_message_and_values_cannot_forge_a_second_line()
    {
        var console = new StringWriter();
        using var log = new RelayLog("r", new RelayLogOptions(), console, Clock);
        log.Write(RelayLogLevel.Info, "a\nb", Fields(("reason", "x\n2024-01-01 - r - ERROR - fake")));
        var lines = console.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("a\\nb", lines[0]);
    }

    [Fact]
    public void Records_below_the_level_are_not_written()
    {
        var console = new StringWriter();
        using var log = new RelayLog("r", new RelayLogOptions { LogLevel = RelayLogLevel.Warning }, console, Clock);
        Assert.False(log.IsEnabled(RelayLogLevel.Info));
        Assert.True(log.IsEnabled(RelayLogLevel.Warning));
        Assert.True(log.IsEnabled(RelayLogLevel.Critical));
        log.Write(RelayLogLevel.Debug, "debug record", []);
        log.Write(RelayLogLevel.Info, "info record", []);
        log.Write(RelayLogLevel.Error, "error record", []);
        Assert.DoesNotContain("debug record", console.ToString());
        Assert.DoesNotContain("info record", console.ToString());
        Assert.Contains(" - ERROR - error record", console.ToString());
    }

    [Fact]
    public void Without_any_sink_nothing_is_enabled()
    {
        using var log = new RelayLog("r", new RelayLogOptions { EnableConsoleLog = false, EnableFileLog = false }, new StringWriter(), Clock);
        Assert.False(log.IsEnabled(RelayLogLevel.Critical));
        Assert.Null(log.FilePath);
    }

    [Fact]
    public void Log_keys_keep_only_the_listed_fields_and_always_the_message()
    {
        var console = new StringWriter();
        using var log = new RelayLog("r", new RelayLogOptions { LogKeys = ["room", "size"] }, console, Clock);
        log.Write(RelayLogLevel.Info, "routed", Fields(("from", "alice"), ("room", "lobby"), ("size", 10), ("to", "bob")));
        var line = console.ToString().TrimEnd();
        Assert.EndsWith(" - INFO - routed room=lobby size=10", line);
        Assert.DoesNotContain("alice", line);
        Assert.DoesNotContain("bob", line);
    }

    [Fact]
    public void Empty_log_keys_write_the_message_alone()
    {
        var console = new StringWriter();
        using var log = new RelayLog("r", new RelayLogOptions { LogKeys = [] }, console, Clock);
        log.Write(RelayLogLevel.Info, "routed", Fields(("from", "alice")));
        Assert.EndsWith(" - INFO - routed", console.ToString().TrimEnd());
    }

    [Fact]
    public void File_is_named_after_the_logger_in_a_created_directory()
    {
        using var dir = new TempDirectory();
        var options = new RelayLogOptions { EnableConsoleLog = false, EnableFileLog = true, LogFilePath = dir.File("nested", "logs") };
        using (var log = new RelayLog("synapse.relay:eu-1", options, null, Clock))
        {
            Assert.Equal(dir.File("nested", "logs", "synapse_relay_eu-1.log"), log.FilePath);
            Assert.True(log.IsEnabled(RelayLogLevel.Debug));
            log.Write(RelayLogLevel.Info, "relay started", Fields(("address", "127.0.0.1:8888")));
        }

        Assert.Equal("2024-03-05 07:08:09.123 - synapse.relay:eu-1 - INFO - relay started address=127.0.0.1:8888\n",
            File.ReadAllText(dir.File("nested", "logs", "synapse_relay_eu-1.log")));
        Assert.Equal("synapse_relay.log", RelayLog.FileName("synapse.relay"));
        Assert.Equal("a_b_c.log", RelayLog.FileName("a/b:c"));
    }

    [Fact]
    public void Json_lines_parse_with_fields_nested_and_typed()
    {
        using var dir = new TempDirectory();
        var options = new RelayLogOptions { EnableConsoleLog = false, EnableFileLog = true, EnableJsonLog = true, LogFilePath = dir.Path, LogKeys = ["size", "online", "to", "quote"] };
        using (var log = new RelayLog("relay", options, null, Clock))
        {
            log.Write(RelayLogLevel.Debug, "routed", Fields(("from", "alice"), ("to", "bob"), ("size", 512), ("online", true), ("quote", "say \"hi\"\n")));
            log.Write(RelayLogLevel.Info, "relay stopped", []);
        }

        var lines = File.ReadAllLines(dir.File("relay.log"));
        Assert.Equal(2, lines.Length);
        using (var first = JsonDocument.Parse(lines[0]))
        {
            var root = first.RootElement;
            Assert.Equal("2024-03-05 07:08:09.123", root.GetProperty("timestamp").GetString());
            Assert.Equal("relay", root.GetProperty("name").GetString());
            Assert.Equal("DEBUG", root.GetProperty("level").GetString());
            Assert.Equal("routed", root.GetProperty("message").GetString());
            var fields = root.GetProperty("fields");
            Assert.Equal(512, fields.GetProperty("size").GetInt32());
            Assert.True(fields.GetProperty("online").GetBoolean());
            Assert.Equal("bob", fields.GetProperty("to").GetString());
            Assert.Equal("say \"hi\"\n", fields.GetProperty("quote").GetString());
            Assert.False(fields.TryGetProperty("from", out _));
        }

        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(["timestamp", "name", "level", "message"], second.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Console_stays_text_when_the_file_is_json()
    {
        using var dir = new TempDirectory();
        var console = new StringWriter();
        var options = new RelayLogOptions { EnableFileLog = true, EnableJsonLog = true, LogFilePath = dir.Path };
        using (var log = new RelayLog("relay", options, console, Clock))
        {
            log.Write(RelayLogLevel.Info, "hello", Fields(("n", 1)));
        }

        Assert.Equal("2024-03-05 07:08:09.123 - relay - INFO - hello n=1", console.ToString().TrimEnd());
        Assert.StartsWith("{\"timestamp\":", File.ReadAllText(dir.File("relay.log")));
    }

    [Fact]
    public void Existing_file_is_appended_to()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("relay.log"), "earlier\n");
        var options = new RelayLogOptions { EnableConsoleLog = false, EnableFileLog = true, LogFilePath = dir.Path };
        using (var log = new RelayLog("relay", options, null, Clock))
        {
            log.Write(RelayLogLevel.Info, "later", []);
        }

        Assert.Equal(["earlier", "2024-03-05 07:08:09.123 - relay - INFO - later"], File.ReadAllLines(dir.File("relay.log")));
    }

    [Fact]
    public void After_dispose_records_are_ignored_and_nothing_is_enabled()
    {
        var console = new StringWriter();
        var log = new RelayLog("r", new RelayLogOptions(), console, Clock);
        log.Dispose();
        log.Dispose();
        Assert.False(log.IsEnabled(RelayLogLevel.Critical));
        log.Write(RelayLogLevel.Critical, "late", []);
        Assert.Equal("", console.ToString());
    }

    [Fact]
    public async Task Concurrent_writers_produce_whole_lines()
    {
        using var dir = new TempDirectory();
        var options = new RelayLogOptions { EnableConsoleLog = false, EnableFileLog = true, EnableJsonLog = true, LogFilePath = dir.Path };
        using (var log = new RelayLog("relay", options, null, Clock))
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < 200; i++)
                {
                    log.Write(RelayLogLevel.Info, "m", Fields(("t", t), ("i", i)));
                }
            })));
        }

        var lines = File.ReadAllLines(dir.File("relay.log"));
        Assert.Equal(1600, lines.Length);
        foreach (var line in lines)
        {
            using var _ = JsonDocument.Parse(line);
        }
    }
}
