using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Synapse.Generators.Diagnostics;

namespace Synapse.Generators.Tests;

/// <summary>Every Synapse diagnostic says how to fix the problem, not only what the problem is.</summary>
public class DiagnosticMessageTests
{
    /// <summary>
    /// A fix: a clause introduced by ';' or a dash that starts with an imperative (the format may leave its object to
    /// an argument, as in "; write {3}"). A message that only states the problem has no such clause.
    /// </summary>
    internal static readonly Regex Fix = new(
        @"(;|—| - )\s*(add|change|declare|give|make|mark|merge|move|put|remove|rename|report|set|split|use|write)\b",
        RegexOptions.CultureInvariant);

    public static TheoryData<string> Ids => new(Descriptors().Select(d => d.Id));

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_descriptor_message_says_how_to_fix_it(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        var format = descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture);

        Assert.Matches(Fix, format);
    }

    [Fact]
    public void Every_declared_descriptor_is_checked()
    {
        var ids = typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).OrderBy(i => i, StringComparer.Ordinal);

        Assert.Equal(ids, Descriptors().Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal));
        Assert.All(Descriptors(), d => Assert.Same(d, DiagnosticDescriptors.ById(d.Id)));
    }

    [Theory]
    [InlineData("Route \"{1}\" of '{0}' is malformed: {2}")]
    [InlineData("Endpoint name '{0}' is already used by method '{1}' of this agent")]
    [InlineData("Agent '{0}' already has the task handler '{1}'; [TaskHandler] on '{2}' is ignored")]
    [InlineData("Method '{0}' cannot be an endpoint: {1}; {2}")]
    public void The_check_rejects_messages_that_only_state_the_problem(string format)
    {
        Assert.DoesNotMatch(Fix, format);
    }

    [Fact]
    public async Task Reported_messages_format_and_end_with_a_fix()
    {
        var compilation = GeneratorHarness.CreateCompilation(("Node.cs", Sources));
        var run = GeneratorHarness.Run(compilation, new TestAdditionalText("TRIGGERS", "ok\n  match\n  match\n"));
        var diagnostics = run.Diagnostics.Concat(await GeneratorHarness.AnalyzerDiagnosticsAsync(run.Output)).Where(d => d.Id.StartsWith("SYN", StringComparison.Ordinal)).ToList();

        var expected = new[] { "SYN001", "SYN002", "SYN005", "SYN006", "SYN007", "SYN008", "SYN011", "SYN012", "SYN013", "SYN014", "SYN018", "SYN019", "SYN020", "SYN021", "SYN025", "SYN026", "SYN027", "SYN028", "SYN029" };
        Assert.Equal(expected, diagnostics.Select(d => d.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal));
        foreach (var diagnostic in diagnostics)
        {
            var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
            Assert.DoesNotMatch(@"\{\d\}", message);
            Assert.Matches(Fix, message);
        }

        Assert.Contains(diagnostics, d => d.GetMessage(CultureInfo.InvariantCulture) == "The interval of [Background] on 'Zero' is 0 seconds, which is not positive; make it a positive number of seconds (as in [Background(5)])");
        Assert.Contains(diagnostics, d => d.GetMessage(CultureInfo.InvariantCulture) == "[Every] method 'Twice' is invalid: it has more than one schedule ([Every] and [Cron]); make it keep one of them (a method is one background job; add another method for another schedule)");
        Assert.Contains(diagnostics, d => d.GetMessage(CultureInfo.InvariantCulture) == "Cron expression \"0 9 * * MON-FRX\" of 'Weekdays' is malformed: the day-of-week field has 'FRX' where a number from 0 to 7 or a name SUN–SAT is expected; write five fields, minute hour day-of-month month day-of-week (as in \"0 9 * * MON-FRI\"), or a macro such as @daily");
        Assert.Contains(diagnostics, d => d.GetMessage(CultureInfo.InvariantCulture) == "Solar event \"twilight\" of 'Dusk' is unknown; use sunrise, sunset, solar_noon (or noon), civil_dawn (or dawn), civil_dusk (or dusk), nautical_dawn, nautical_dusk, astronomical_dawn or astronomical_dusk, or a SolarEvent member (as in [Solar(SolarEvent.Sunrise, 48.85, 2.35)])");
        Assert.Contains(diagnostics, d => d.GetMessage(CultureInfo.InvariantCulture) == "The latitude 95 of 'Dusk' is out of range; use a latitude from -90 to 90 degrees (north is positive)");
        Assert.Contains(diagnostics, d => d.GetMessage(CultureInfo.InvariantCulture) == "Method 'Generic' cannot be an endpoint: it is generic; make it non-generic (remove its type parameters)");
        Assert.Contains(diagnostics, d => d.GetMessage(CultureInfo.InvariantCulture) == "[Receive] method 'WrongReturn' is invalid: it returns 'int'; make it return FlowEvent?, Task<FlowEvent?> or ValueTask<FlowEvent?>");
        Assert.Contains(diagnostics, d => d.GetMessage(CultureInfo.InvariantCulture) == "TRIGGERS: Duplicate trigger 'match' under 'ok'; change the name of one of them, or remove this line");
        Assert.Contains(diagnostics, d => d.GetMessage(CultureInfo.InvariantCulture) == "Parameter 'amount' of method 'Price' has type 'decimal', which Synapse cannot serialize; change the parameter's type: 'decimal' is not supported; use double, long or string");
    }

    [Fact]
    public void Unknown_triggers_say_which_name_to_use()
    {
        var compilation = GeneratorHarness.CreateCompilation(("Node.cs", """
            using Synapse;
            using Synapse.Flows;

            [AgentNode]
            public partial class Node
            {
                [Receive("--> a")]
                public FlowEvent? A(object? p) => null;

                [Send("a", OnTriggers = new[] { "match", "nope" })]
                public string B() => "";
            }
            """));
        var run = GeneratorHarness.Run(compilation, new TestAdditionalText("TRIGGERS", "ok\n  match\nexit\n  match\n"));
        var messages = run.Diagnostics.Where(d => d.Id == "SYN016").Select(d => d.GetMessage(CultureInfo.InvariantCulture)).ToList();

        Assert.Equal(
            new[]
            {
                "Sender 'B' reacts to trigger 'match', which is ambiguous in TRIGGERS; use its dotted path, one of 'ok.match', 'exit.match'",
                "Sender 'B' reacts to trigger 'nope', which is not in TRIGGERS; use a trigger of that file, or add 'nope' to it",
            },
            messages);
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    private const string Sources = """
        using System.Threading;
        using System.Threading.Tasks;
        using Synapse;
        using Synapse.Flows;

        [AgentNode]
        public class NotPartial
        {
        }

        [SynapseMessage]
        public class BadMessage
        {
            public char Letter { get; set; }
        }

        [AgentNode]
        public partial class Node
        {
            [Endpoint("a")]
            public int A() => 1;

            [Endpoint("a")]
            public int B() => 2;

            [Endpoint]
            public void Price(decimal amount)
            {
            }

            [Endpoint]
            public object Dynamic() => new();

            [Endpoint]
            public Task Tokens(CancellationToken first, CancellationToken second) => Task.CompletedTask;

            [Endpoint]
            public async void Fire() => await Task.Yield();

            [Background(0)]
            public void Zero()
            {
            }

            [Every(Minutes = 5)]
            [Cron("@daily")]
            public void Twice()
            {
            }

            [Cron("0 9 * * MON-FRX")]
            public void Weekdays()
            {
            }

            [Solar("twilight", 95, 0)]
            public void Dusk()
            {
            }

            [Endpoint]
            public T Generic<T>(T value) => value;

            [Receive("ready -> done")]
            public FlowEvent? Arrow(object? p) => null;

            [Receive("--> a")]
            public int WrongReturn(object? p) => 0;

            [Hook(HookDirection.Receive)]
            public object? H1(object? p) => p;

            [Hook(HookDirection.Receive)]
            public object? H2(object? p) => p;

            [UploadStates]
            public object? Up1(object? p) => "a";

            [UploadStates]
            public object? Up2(object? p) => "a";

            [Receive("a --> b")]
            public FlowEvent? R1(object? p) => null;

            [Receive("a-->b")]
            public FlowEvent? R2(object? p) => null;
        }
        """;
}
