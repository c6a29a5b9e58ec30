using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;

namespace Synapse.Tests.Relay.Configuration;

public sealed class DateFormatTests
{
    // 2024-03-05 14:08:09 plus 0.1234567 s, at UTC+02:00.
    private static readonly DateTimeOffset Instant = new DateTimeOffset(2024, 3, 5, 14, 8, 9, TimeSpan.FromHours(2)).AddTicks(1_234_567);

    [Theory]
    [InlineData("%Y-%m-%d %H:%M:%S.%3f", "2024-03-05 14:08:09.123")]
    [InlineData("%Y-%m-%d %H:%M:%S.%f", "2024-03-05 14:08:09.123")]
    [InlineData("%S.%1f", "09.1")]
    [InlineData("%S.%6f", "09.123456")]
    [InlineData("%S.%7f", "09.1234567")]
    [InlineData("%S.%9f", "09.123456700")]
    [InlineData("100%% at %H", "100% at 14")]
    [InlineData("%y/%j %I%p", "24/065 02PM")]
    [InlineData("%a %A %b %B", "Tue Tuesday Mar March")]
    [InlineData("%H%z", "14+0200")]
    [InlineData("%Q and %E %k", "%Q and %E %k")]
    [InlineData("%0f %12f", "%0f %12f")]
    [InlineData("trailing %", "trailing %")]
    [InlineData("no directives", "no directives")]
    public void Python_strftime_directives(string format, string expected)
    {
        Assert.Equal(expected, new StrftimeFormat(format).Format(Instant));
    }

    [Fact]
    public void Negative_offsets_and_midnight_twelve_hour_clock()
    {
        var t = new DateTimeOffset(2024, 12, 31, 0, 5, 0, TimeSpan.FromMinutes(-210));
        Assert.Equal("12AM -0330", new StrftimeFormat("%I%p %z").Format(t));
    }

    [Fact]
    public void Log_timestamps_use_the_local_time_of_the_time_provider()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus5", TimeSpan.FromHours(5), "plus5", "plus5");
        var clock = new FixedTime(new DateTimeOffset(2024, 1, 1, 22, 0, 0, TimeSpan.Zero), zone);
        var console = new StringWriter();
        using var log = new RelayLog("r", new RelayLogOptions { DateFormat = "%Y-%m-%d %H:%M %z" }, console, clock);
        log.Write(RelayLogLevel.Info, "m", []);
        Assert.StartsWith("2024-01-02 03:00 +0500 - r - INFO - m", console.ToString());
    }
}
