using Cronos;
using Synapse.Generators.Schedules;

namespace Synapse.Generators.Tests;

/// <summary>
/// The generator's cron check and Cronos, which parses the expressions at run time, agree: on a corpus of valid and
/// malformed expressions, and on many random ones built from cron's own characters.
/// </summary>
public sealed class CronSyntaxTests
{
    public static TheoryData<string> Valid() =>
    [
        "* * * * *", "0 9 * * MON-FRI", "*/15 * * * *", "0 0 1 1 *", "0,30 8-18 * * 1-5", "5 4 * * sun", "0 0 L * *",
        "0 0 L-3 * *", "0 0 LW * *", "0 0 15W * *", "0 0 * * 5L", "0 0 * * FRIL", "0 0 * * MON#2", "0 0 * * 1#5",
        "0 22-2 * * *", "0 0 * DEC-FEB *", "0 0 * * FRI-MON", "? ? ? ? ?", "0 0 ? * MON", "  0 9 * * *  ", "0\t9\t*\t*\t*",
        "00 09 01 01 00", "0 0 * * 7", "0 0 31 12 *", "0 0-23/2 * * *", "5/10 * * * *", "0 0 1-31/7 * *", "0 0 * jan,jul *",
        "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "@every_minute", "@every_second",
        "@DAILY", " @daily ", "0 0 l * *", "0 0 15w * *", "1,2,3-5,10-20/5 * * * *", "0 0 * * SUN,MON,7",
    ];

    public static TheoryData<string> Malformed() =>
    [
        "", " ", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * 32 * *", "* * * 0 *", "* * * 13 *",
        "* * * * 8", "*/0 * * * *", "*/60 * * * *", "000 * * * *", "a * * * *", "* * * JANUARY *", "* * * * MONDAY",
        "* * * * MON#6", "* * * * MON#0", "* * L-31 * *", "* * 1-15W * *", "* * 15W,20 * *", "*,5 * * * *", "5- * * * *",
        "-5 * * * *", "5,,6 * * * *", "5, * * * *", "H * * * *", "H/5 * * * *", "@fortnightly", "@", "@daily x", "@ daily",
        "@every_hour", "* * * * L", "* * W * *", "1/2/3 * * * *", "* * * * FRI-", "* * * * #2", "0 9 * * MON-FRX",
        "0 0 * * 5L,6", "0 0 LX * *", "x", "*/ * * * *", "0 0 1 1 * 2024", "0 0 ? * ? ?",
    ];

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_expressions_pass_both(string expression)
    {
        Assert.True(CronosAccepts(expression), $"Cronos refuses \"{expression}\"");
        Assert.Null(CronSyntax.Check(expression));
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_expressions_fail_both_with_a_reason(string expression)
    {
        Assert.False(CronosAccepts(expression), $"Cronos accepts \"{expression}\"");
        Assert.False(string.IsNullOrEmpty(CronSyntax.Check(expression)));
    }

    [Fact]
    public void Random_expressions_get_the_same_verdict()
    {
        // Tokens that cron fields are made of, and a few that they are not; a fixed seed keeps failures reproducible.
        string[] atoms = ["*", "?", "0", "1", "5", "7", "12", "15", "23", "31", "59", "60", "99", "L", "W", "LW", "H", "MON", "FRI", "SUN", "JAN", "DEC", "XYZ", "mon", "l"];
        string[] joins = ["", "-", "/", ",", "#", "W", "L", "-", "/"];
        var random = new Random(17);
        var disagreements = new List<string>();
        var valid = 0;
        for (var i = 0; i < 20000; i++)
        {
            var fields = new string[random.Next(100) < 90 ? 5 : random.Next(3, 8)];
            for (var f = 0; f < fields.Length; f++)
            {
                var field = atoms[random.Next(atoms.Length)];
                for (var parts = random.Next(3); parts > 0; parts--)
                {
                    field += joins[random.Next(joins.Length)] + atoms[random.Next(atoms.Length)];
                }

                fields[f] = random.Next(100) < 60 ? Plain(f) : field;
            }

            var expression = string.Join(random.Next(10) == 0 ? "  " : " ", fields);
            var cronos = CronosAccepts(expression);
            valid += cronos ? 1 : 0;
            if (cronos != (CronSyntax.Check(expression) is null))
            {
                disagreements.Add($"\"{expression}\": Cronos {(cronos ? "accepts" : "refuses")}, the generator {(cronos ? "refuses: " + CronSyntax.Check(expression) : "accepts")}");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements.Take(20)));
        Assert.InRange(valid, 2000, 18000); // both verdicts are well represented

        string Plain(int field) => field switch
        {
            0 => random.Next(60).ToString(System.Globalization.CultureInfo.InvariantCulture),
            1 => random.Next(24).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "*",
        };
    }

    [Theory]
    [InlineData("61 * * * *", "the minute field has '61' where a number from 0 to 59 is expected")]
    [InlineData("0 9 * *", "it has 4 fields where a cron expression has 5 (minute hour day-of-month month day-of-week; seconds are not supported)")]
    [InlineData("*/0 * * * *", "the minute field has '0' as the step after '/', which must be a number from 1 to 59")]
    [InlineData("@fortnightly", "'@fortnightly' is not a macro (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every_minute or @every_second)")]
    [InlineData("* * * * MON#6", "the day-of-week field has '6' as the week of the month after '#', which must be a number from 1 to 5")]
    public void The_reason_names_the_field_and_the_value(string expression, string reason) =>
        Assert.Equal(reason, CronSyntax.Check(expression));

    private static bool CronosAccepts(string expression)
    {
        try
        {
            CronExpression.Parse(expression, CronFormat.Standard);
            return true;
        }
        catch (Exception e) when (e is CronFormatException or MissingSeedException)
        {
            return false;
        }
    }
}
