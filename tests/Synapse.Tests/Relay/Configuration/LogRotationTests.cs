using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;

namespace Synapse.Tests.Relay.Configuration;

public sealed class LogRotationTests
{
    private static readonly FixedTime Clock = new(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));

    // "%Y" gives a 4-character timestamp, so each record "2024 - r - INFO - NN\n" is exactly 21 bytes.
    private static RelayLog Open(string directory, long maxFileSize, int backupCount) =>
        new("r", new RelayLogOptions
        {
            EnableConsoleLog = false,
            EnableFileLog = true,
            LogFilePath = directory,
            MaxFileSize = maxFileSize,
            BackupCount = backupCount,
            DateFormat = "%Y",
        }, null, Clock);

    private static void WriteRecords(RelayLog log, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            log.Write(RelayLogLevel.Info, i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), []);
        }
    }

    [Fact]
    public void Rotation_keeps_numbered_backups_newest_first_and_never_more_than_backup_count()
    {
        using var dir = new TempDirectory();
        using (var log = Open(dir.Path, maxFileSize: 50, backupCount: 3))
        {
            // Two records (42 bytes) fit; a third would reach 63 >= 50, so every file holds two.
            WriteRecords(log, 0, 12);
        }

        var files = Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f)!).Order().ToArray();
        Assert.Equal(["r.log", "r.log.1", "r.log.2", "r.log.3"], files);
        Assert.Equal(["2024 - r - INFO - 10", "2024 - r - INFO - 11"], File.ReadAllLines(dir.File("r.log")));
        Assert.Equal(["2024 - r - INFO - 08", "2024 - r - INFO - 09"], File.ReadAllLines(dir.File("r.log.1")));
        Assert.Equal(["2024 - r - INFO - 06", "2024 - r - INFO - 07"], File.ReadAllLines(dir.File("r.log.2")));
        Assert.Equal(["2024 - r - INFO - 04", "2024 - r - INFO - 05"], File.ReadAllLines(dir.File("r.log.3")));
    }

    [Fact]
    public void Rotation_happens_when_a_record_would_reach_the_limit_exactly()
    {
        using var dir = new TempDirectory();
        using (var log = Open(dir.Path, maxFileSize: 42, backupCount: 1))
        {
            WriteRecords(log, 0, 2);
        }

        // 21 + 21 >= 42, like Python's RotatingFileHandler, so the second record starts a new file.
        Assert.Equal(["2024 - r - INFO - 01"], File.ReadAllLines(dir.File("r.log")));
        Assert.Equal(["2024 - r - INFO - 00"], File.ReadAllLines(dir.File("r.log.1")));
    }

    [Fact]
    public void A_record_larger_than_the_limit_goes_into_an_empty_file_whole()
    {
        using var dir = new TempDirectory();
        using (var log = Open(dir.Path, maxFileSize: 10, backupCount: 2))
        {
            WriteRecords(log, 0, 3);
        }

        Assert.Equal(["2024 - r - INFO - 02"], File.ReadAllLines(dir.File("r.log")));
        Assert.Equal(["2024 - r - INFO - 01"], File.ReadAllLines(dir.File("r.log.1")));
        Assert.Equal(["2024 - r - INFO - 00"], File.ReadAllLines(dir.File("r.log.2")));
        Assert.False(File.Exists(dir.File("r.log.3")));
    }

    [Fact]
    public void Backup_count_zero_truncates_instead_of_keeping_backups()
    {
        using var dir = new TempDirectory();
        using (var log = Open(dir.Path, maxFileSize: 50, backupCount: 0))
        {
            WriteRecords(log, 0, 5);
        }

        Assert.Equal(["r.log"], Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f)!));
        Assert.Equal(["2024 - r - INFO - 04"], File.ReadAllLines(dir.File("r.log")));
    }

    [Fact]
    public void Size_of_an_existing_file_counts_toward_rotation()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("r.log"), new string('x', 39) + "\n");
        using (var log = Open(dir.Path, maxFileSize: 50, backupCount: 1))
        {
            WriteRecords(log, 0, 1);
        }

        Assert.Equal(["2024 - r - INFO - 00"], File.ReadAllLines(dir.File("r.log")));
        Assert.Equal(new string('x', 39), File.ReadAllText(dir.File("r.log.1")).TrimEnd());
    }
}
