using Microsoft.CodeAnalysis;

namespace Synapse.Generators.Tests.Flows;

public class FlowDiagnosticTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Synapse;
        using Synapse.Flows;

        """;

    private static readonly string[] Reachability = { "SYN022", "SYN023" };

    [Fact]
    public Task Syn014_malformed_routes_point_into_the_literal() => VerifyAsync(""""
        public static class Routes
        {
            public const string Bad = "a b";
        }

        [AgentNode]
        public partial class Node
        {
            [Receive("A --> inv{|SYN014:&|}alid")]
            public FlowEvent? A(object? p) => null;

            [Receive("A\t--> {|SYN014:1|}b")]
            public FlowEvent? B(object? p) => null;

            [Receive(@"A --> {|SYN014:""|}x")]
            public FlowEvent? C(object? p) => null;

            [Receive("""A --> {|SYN014:-|}b""")]
            public FlowEvent? D(object? p) => null;

            [Receive({|SYN014:""|})]
            public FlowEvent? E(object? p) => null;

            [Receive("{|SYN014:-->|}")]
            public FlowEvent? F(object? p) => null;

            [Receive({|SYN014:Routes.Bad|})]
            public FlowEvent? G(object? p) => null;

            [Receive("A --> B {|SYN014:--[ f ]-->|} C")] // two arrows: the second one is marked
            public FlowEvent? H(object? p) => null;

            [Receive(route: "{|SYN014:/travel|}")]
            public FlowEvent? I(object? p) => null;

            [Send("")]
            public string Anything() => "fine: an empty sender route matches every event";
        }
        """", ignore: Reachability);

    [Fact]
    public Task Syn015_invalid_arrow_style() => VerifyAsync("""
        [AgentNode]
        [{|SYN015:ArrowStyle("--", "[", "]", ",", ">")|}]
        [{|SYN015:ArrowStyle("=", "{", "}", "/", ">")|}]
        [ArrowStyle("=", "{", "}", ";", ">")]
        public partial class Node
        {
            [Receive("--> a")]
            public FlowEvent? A(object? p) => null;

            [Receive("a =={ f }==> b")]
            public FlowEvent? B(object? p) => null;
        }
        """);

    [Fact]
    public Task Syn019_invalid_flow_methods() => VerifyAsync("""
        [SynapseMessage]
        public sealed record Msg(string Text);

        [AgentNode]
        public partial class Node
        {
            public int Count { get; set; }

            public bool IsOn() => true;

            [Receive("--> a")]
            public int {|SYN019:WrongReturn|}(object? p) => 0;

            [Receive("--> a")]
            public FlowEvent? {|SYN019:TwoPayloads|}(object? p, object? q) => null;

            [Receive("--> a")]
            public FlowEvent? {|SYN019:IntPayload|}(int p) => null;

            [Receive("--> a")]
            public FlowEvent? {|SYN019:Generic|}<T>(object? p) => null;

            [Receive("--> a")]
            public async Task<FlowEvent?> Fine(Msg message, CancellationToken ct) { await Task.Yield(); return null; }

            [Send("a")]
            public string {|SYN019:DataWithoutUseData|}(object? data) => "";

            [Send("a", UseData = true)]
            public string {|SYN019:UseDataNotReactive|}(object? data) => "";

            [Send("a", RunWhile = nameof(IsOn))]
            public string {|SYN019:RunWhileWithoutEvery|}() => "";

            [Send("a", Every = 1, RunWhile = nameof(Count))]
            public string {|SYN019:RunWhileNotBool|}() => "";

            [Send("a", Every = 1, RunWhile = nameof(IsOn))]
            public string TimedFine() => "";

            [Send("a", Every = -1)]
            public string {|SYN019:NegativeEvery|}() => "";

            [Send("a", Multi = true)]
            public string {|SYN019:MultiString|}() => "";

            [Send("a", Multi = true)]
            public Task<List<string>> MultiFine() => Task.FromResult(new List<string>());

            [Send("a")]
            public Task {|SYN019:NothingToSend|}() => Task.CompletedTask;

            [Hook(HookDirection.Receive)]
            public object? {|SYN019:HookWithoutPayload|}() => null;

            [UploadStates]
            public void {|SYN019:UploadNothing|}(object? p) { }

            [DownloadStates]
            public void {|SYN019:DownloadWrongType|}(object states) { }
        }
        """, ignore: Reachability);

    [Fact]
    public Task Syn020_Syn021_hooks_and_state_methods() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Hook(HookDirection.Receive, Priority = new[] { 1 })]
            public object? A(object? p) => p;

            [{|SYN020:Hook(HookDirection.Receive, Priority = new[] { 1 })|}]
            public object? B(object? p) => p;

            [Hook(HookDirection.Send, Priority = new[] { 1 })]
            public object? C(object? p) => p;

            [Hook(HookDirection.Receive, Priority = new[] { 1, 0 })]
            public object? D(object? p) => p;

            [UploadStates]
            public object? Up1(object? p) => "a";

            [{|SYN021:UploadStates|}]
            public object? Up2(object? p) => "a";

            [DownloadStates]
            public void Down1(StateTape t) { }

            [{|SYN021:DownloadStates|}]
            public Task Down2(StateTape t) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task Syn009_flow_attributes_outside_a_node() => VerifyAsync("""
        public class Plain
        {
            [{|SYN009:Receive("a")|}]
            public FlowEvent? A(object? p) => null;

            [{|SYN009:Send("a")|}]
            public string B() => "";

            [{|SYN009:Hook(HookDirection.Send)|}]
            public object? C(object? p) => p;
        }
        """);

    [Fact]
    public Task Syn016_unknown_and_ambiguous_triggers() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Receive("a --> b")]
            public FlowEvent? A(object? p) => null;

            [Send("a --> b", OnTriggers = new[] { "ok", "ok.match", {|SYN016:"nope"|}, {|SYN016:"match"|} })]
            public string B() => "";

            [Send("a --> b", OnTriggers = ["exit.match", {|SYN016:"exit.nope"|}])]
            public string C() => "";
        }
        """, triggers: "ok\n  match\nexit\n  match\n", ignore: Reachability);

    [Fact]
    public Task Syn017_triggers_without_a_TRIGGERS_file() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Receive("a --> b")]
            public FlowEvent? A(object? p) => null;

            [Send("a --> b", OnTriggers = new[] { {|SYN017:"ok"|}, "exit" })]
            public string B() => "";
        }
        """, ignore: Reachability);

    [Fact]
    public Task Syn022_Syn023_reachability_warnings() => VerifyAsync("""
        [AgentNode]
        public partial class Node
        {
            [Receive("--> ready")]
            public FlowEvent? Start(object? p) => null;

            [Receive("ready --[ working ]--> done")]
            public FlowEvent? Work(object? p) => null;

            [Receive("{|SYN023:/oneof(done, lost)|} --> ready")]
            public FlowEvent? Back(object? p) => null;

            [Receive("{|SYN023:idle|}, working")]
            public FlowEvent? Idle(object? p) => null;

            [Send("ready --> done", OnActions = FlowActions.Move)]
            public string Reacts() => "";

            [Send("/all --> /all", OnActions = FlowActions.Move)]
            public string AnyArrow() => "";

            [Send({|SYN022:"done --> ready, idle"|}, OnActions = FlowActions.Move)]
            public string Never() => "";

            [Send("nowhere")]
            public string NotReactive() => "";
        }
        """);

    [Fact]
    public Task Syn025_receivers_with_the_same_normalised_route_and_priority() => VerifyAsync("""
        [AgentNode]
        [ArrowStyle("=", "{", "}", ";", ">")]
        public partial class Node
        {
            [Receive("a-->b")]
            public FlowEvent? First(object? p) => null;

            [Receive({|SYN025:"a --> b"|})] // spacing
            public FlowEvent? Spaced(object? p) => null;

            [Receive({|SYN025:"a --[ ]--> b"|})] // an empty label
            public FlowEvent? EmptyLabel(object? p) => null;

            [Receive({|SYN025:"a ==> b"|})] // another arrow style
            public FlowEvent? Styled(object? p) => null;

            [Receive(route: {|SYN025:"a --> b,"|}, Priority = new int[0])] // () is the default priority
            public FlowEvent? EmptyPriority(object? p) => null;

            [Receive("a --> b", Priority = new[] { 1 })] // another batch: runs after the first, on purpose
            public FlowEvent? Later(object? p) => null;

            [Receive({|SYN025:"a-->b"|}, Priority = new[] { 1 })]
            public FlowEvent? LaterToo(object? p) => null;

            [Receive("a --> b", Priority = new[] { 1, 0 })] // (1, 0) runs after (1)
            public FlowEvent? LaterStill(object? p) => null;

            [Receive("a --> b, c")]
            public FlowEvent? MoreTargets(object? p) => null;

            [Receive("a --[ f ]--> b")]
            public FlowEvent? Labeled(object? p) => null;

            [Receive("a --> b")]
            public int InvalidIsNotGenerated(object? p) => 0;

            [Receive("b, a --> c, d")]
            public FlowEvent? Pair(object? p) => null;

            [Receive({|SYN025:"a, b, a --> d, c"|})] // order and repeats do not matter
            public FlowEvent? PairAgain(object? p) => null;

            [Receive("/oneof(a, b) --> c")]
            public FlowEvent? Gate(object? p) => null;

            [Receive({|SYN025:"/oneof(b,a,b) --> c"|})]
            public FlowEvent? GateAgain(object? p) => null;

            [Receive("/oneof(a) --> c")] // not 'a --> c': it reaches other states
            public FlowEvent? NarrowGate(object? p) => null;

            [Receive("ready")]
            public FlowEvent? Object(object? p) => null;

            [Receive({|SYN025:"ready -->"|})] // degenerates to the object 'ready'
            public FlowEvent? SameObject(object? p) => null;

            [Receive("--> ready")] // initial: fires once per message, whatever the states
            public FlowEvent? Initial(object? p) => null;

            [Receive({|SYN025:"-->ready"|})]
            public FlowEvent? InitialAgain(object? p) => null;
        }
        """, ignore: Reachability.Append("SYN019").ToArray());

    [Fact]
    public async Task Syn025_names_the_first_receiver_and_the_normalised_route()
    {
        var compilation = GeneratorHarness.CreateCompilation(("Node.cs", Usings + """
            [AgentNode]
            public partial class Node
            {
                [Receive("--> a")]
                public FlowEvent? Start(object? p) => null;

                [Receive("a --> c, b", Priority = new[] { 2, 1 })]
                public FlowEvent? First(object? p) => null;

                [Receive("a-->b,c", Priority = new[] { 2, 1 })]
                public FlowEvent? Second(object? p) => null;

            #pragma warning disable SYN025 // on purpose: suppressible like any analyzer warning
                [Receive("a --> b, c", Priority = new[] { 2, 1 })]
                public FlowEvent? Third(object? p) => null;
            #pragma warning restore SYN025
            }
            """));
        var run = GeneratorHarness.Run(compilation);
        var diagnostics = (await GeneratorHarness.AnalyzerDiagnosticsAsync(run.Output)).Where(d => d.Id == "SYN025").ToList();

        var warning = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("\"a-->b,c\"", warning.Location.SourceTree!.GetText().ToString(warning.Location.SourceSpan));
        Assert.Equal(
            "Receiver 'Second' has the same route as 'First' (\"a--[]-->b,c\" once normalised) and the same priority (2, 1): both run, concurrently, on every state that activates either; merge them, or give one another Priority to run them one batch after the other",
            warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("\"Third\"", run.Source("Node.Flow.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Syn018_TRIGGERS_errors_are_located_in_the_file()
    {
        var compilation = GeneratorHarness.CreateCompilation(("Node.cs", Usings + """
            [AgentNode]
            public partial class Node
            {
                [Receive("--> a")]
                public FlowEvent? A(object? p) => null;
            }
            """));
        var run = GeneratorHarness.Run(compilation, new TestAdditionalText("/proj/TRIGGERS", "ok\n  match\n  match\nexit\n  1bad\n"));

        var errors = run.Diagnostics.Where(d => d.Id == "SYN018").OrderBy(d => d.Location.GetLineSpan().StartLinePosition.Line).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal(DiagnosticSeverity.Error, e.Severity));
        Assert.All(errors, e => Assert.Equal("/proj/TRIGGERS", e.Location.GetLineSpan().Path));
        Assert.Equal((2, 2, 7), Position(errors[0]));
        Assert.Equal((4, 2, 3), Position(errors[1]));
        Assert.Contains("Duplicate trigger 'match' under 'ok'", errors[0].GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(run.HintNames, h => h.EndsWith("Trigger.g.cs", StringComparison.Ordinal));
        await Task.CompletedTask;

        static (int Line, int Column, int End) Position(Diagnostic d)
        {
            var span = d.Location.GetLineSpan().Span;
            return (span.Start.Line, span.Start.Character, span.End.Character);
        }
    }

    [Fact]
    public void Syn024_one_namespace_two_TRIGGERS_files()
    {
        const string Node = Usings + """
            namespace Shared;

            [AgentNode]
            public partial class {0}
            {{
                [Receive("--> a")]
                public FlowEvent? A(object? p) => null;
            }}
            """;
        var compilation = GeneratorHarness.CreateCompilation(
            ("/p/a/First.cs", string.Format(Node, "First")),
            ("/p/b/Second.cs", string.Format(Node, "Second")));
        var run = GeneratorHarness.Run(compilation, new TestAdditionalText("/p/a/TRIGGERS", "ok\n"), new TestAdditionalText("/p/b/TRIGGERS", "go\n"));

        var conflict = Assert.Single(run.Diagnostics, d => d.Id == "SYN024");
        Assert.Equal("/p/b/Second.cs", conflict.Location.SourceTree?.FilePath);
        Assert.Contains("Second", conflict.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("ok", run.Source("Shared.Trigger.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_nearest_TRIGGERS_file_wins_when_namespaces_differ()
    {
        var compilation = GeneratorHarness.CreateCompilation(
            ("/p/a/First.cs", Usings + "namespace A;\n[AgentNode]\npublic partial class First { [Receive(\"--> a\")] public FlowEvent? M(object? p) => FlowEvent.Move(Trigger.ok); }"),
            ("/p/b/Second.cs", Usings + "namespace B;\n[AgentNode]\npublic partial class Second { [Receive(\"--> a\")] public FlowEvent? M(object? p) => FlowEvent.Move(Trigger.go); }"));
        var run = GeneratorHarness.Run(compilation, new TestAdditionalText("/p/a/TRIGGERS", "ok\n"), new TestAdditionalText("/p/b/TRIGGERS", "go\n"));

        Assert.Empty(run.Diagnostics);
        Assert.Empty(GeneratorHarness.Problems(run.Output));
        Assert.Contains("Signal ok", run.Source("A.Trigger.g.cs"), StringComparison.Ordinal);
        Assert.Contains("Signal go", run.Source("B.Trigger.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_use_real_source_locations_so_pragmas_apply()
    {
        // The compiler applies #pragma only to SourceLocations in its own trees, which the check model's plain
        // locations are turned back into when reported.
        var compilation = GeneratorHarness.CreateCompilation(("Node.cs", Usings + """
            [AgentNode]
            public partial class Node
            {
                [Receive("idle --> busy")]
                public FlowEvent? A(object? p) => null;
            }
            """));
        var run = GeneratorHarness.Run(compilation);

        var warning = Assert.Single(run.Diagnostics, d => d.Id == "SYN023");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(LocationKind.SourceFile, warning.Location.Kind);
        Assert.Same(compilation.SyntaxTrees.Single(), warning.Location.SourceTree);
        Assert.Equal("idle", warning.Location.SourceTree!.GetText().ToString(warning.Location.SourceSpan));
    }

    private static async Task VerifyAsync(string markup, string? triggers = null, string[]? ignore = null)
    {
        var parsed = DiagnosticMarkup.Parse(Usings + markup);
        var compilation = GeneratorHarness.CreateCompilation(("Node.cs", parsed.Source));
        var texts = triggers is null ? Array.Empty<AdditionalText>() : new AdditionalText[] { new TestAdditionalText("TRIGGERS", triggers) };
        var run = GeneratorHarness.Run(compilation, texts);
        var analyzerDiagnostics = await GeneratorHarness.AnalyzerDiagnosticsAsync(run.Output);
        var actual = run.Diagnostics.Concat(analyzerDiagnostics)
            .Where(d => d.Id.StartsWith("SYN", StringComparison.Ordinal) && !(ignore ?? Array.Empty<string>()).Contains(d.Id))
            .ToList();

        foreach (var diagnostic in actual)
        {
            var expected = diagnostic.Id is "SYN023" or "SYN025" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
            Assert.Equal(expected, diagnostic.Severity);
            Assert.Equal("Node.cs", diagnostic.Location.SourceTree?.FilePath);
            Assert.Matches(DiagnosticMessageTests.Fix, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }

        var actualSet = actual.Select(d => (d.Id, d.Location.SourceSpan)).OrderBy(x => x.SourceSpan.Start).ThenBy(x => x.Id, StringComparer.Ordinal).ToList();
        var expectedSet = parsed.Expected.OrderBy(x => x.Span.Start).ThenBy(x => x.Id, StringComparer.Ordinal).ToList();
        Assert.True(
            expectedSet.SequenceEqual(actualSet),
            "Expected:\n" + Describe(parsed.Source, expectedSet) + "\nActual:\n" + Describe(parsed.Source, actualSet) + "\nMessages:\n" + string.Join("\n", actual.Select(d => d.ToString())));

        var original = compilation.SyntaxTrees.ToHashSet();
        var generatedErrors = run.Output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && !original.Contains(tree))
            .ToList();
        Assert.True(generatedErrors.Count == 0, "Generated code has errors:\n" + string.Join("\n", generatedErrors));
    }

    private static string Describe(string source, IEnumerable<(string Id, Microsoft.CodeAnalysis.Text.TextSpan Span)> items) =>
        string.Join("\n", items.Select(x => $"  {x.Id} at {x.Span}: '{source.Substring(x.Span.Start, x.Span.Length)}'"));
}
