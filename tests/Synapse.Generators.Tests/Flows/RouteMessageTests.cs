using System.Globalization;
using Microsoft.CodeAnalysis;

namespace Synapse.Generators.Tests.Flows;

/// <summary>
/// SYN014 for the route mistakes people make: the message says what is wrong and what to write instead, and the
/// diagnostic covers the offending text inside the string literal.
/// </summary>
public class RouteMessageTests
{
    [Theory]
    // arrows that are not arrows
    [InlineData("ready -> done", "->", "'->' is not an arrow; write '-->' (as in 'ready --> done')")]
    [InlineData("ready => done", "=>", "'=>' is not an arrow; write '-->' (as in 'ready --> done')")]
    [InlineData("ready > done", ">", "'>' is not an arrow; write '-->' (as in 'ready --> done')")]
    [InlineData("ready - done", "-", "'-' is not an arrow; write '-->' (as in 'ready --> done')")]
    [InlineData("ready ---> done", "--->", "'--->' is not an arrow; write '-->' (as in 'ready --> done')")]
    [InlineData("ready → done", "→", "'→' is not an arrow; write '-->' (as in 'ready --> done')")]
    // reversed arrows
    [InlineData("done <- ready", "<-", "'<-' points backwards, but a route goes from its sources to its targets; write '-->' with the sources first (as in 'ready --> done')")]
    [InlineData("done, lost <-- ready", "<--", "'<--' points backwards, but a route goes from its sources to its targets; write '-->' with the sources first (as in 'ready --> done, lost')")]
    // label brackets
    [InlineData("ready --[ x --> done", "[", "the label opened by '--[' at column 7 is missing its ']'; write ']' before the arrow (as in 'ready --[ x ]--> done')")]
    [InlineData("ready --[ x", "[", "the label opened by '--[' at column 7 is missing its ']'; write ']-->' after the label, then the target (as in 'a --[ f ]--> b')")]
    [InlineData("ready x ]--> done", "]", "']-->' at column 9 closes a label that no '--[' opened; write '--[' before the label (as in 'ready --[ x ]--> done')")]
    [InlineData("ready [ x ]--> done", "[", "'[' at column 7 does not follow '--', so it opens no label; write '--[' (as in 'ready --[ x ]--> done')")]
    [InlineData("ready -[ x ]--> done", "-[", "'-[' does not open a label; write '--[' (as in 'ready --[ x ]--> done')")]
    [InlineData("ready --[ x ]-> done", "]->", "']->' is not the end of a label; write ']-->' (as in 'ready --[ x ]--> done')")]
    [InlineData("ready --[ x ] done", "]", "the ']' at column 13 ends the label but no '-->' follows it; write ']-->' (as in 'ready --[ x ]--> done')")]
    // gate (condition) brackets
    [InlineData("ready --> /not(done", "(", "'/not(' is missing its ')'; write ')' after its names (as in '/not(done)')")]
    [InlineData("/oneof(a,b)", ",", "without an arrow a route is a list of objects split on every ',', so the ',' at column 9 cuts a gate in two; write the gate inside an arrow, where a ',' inside parentheses separates its names (as in '/oneof(a, b) --> c')")]
    [InlineData("ready --> /ALL", "/ALL", "'/ALL' is not a gate: gate names are lower case; write '/all'")]
    [InlineData("/travel --> x", "/travel", "'/travel' is not a gate; write '/all', '/not(…)' or '/oneof(…)', or 'travel' without '/' for a state")]
    // arrows without states, trailing and repeated arrows
    [InlineData("-->", "-->", "the arrow '-->' has no source and no target; write a target after it (as in '--> start'), and a source before it to leave a state (as in 'ready --> start')")]
    [InlineData("ready --> done -->", "-->", "a route has one arrow, and the second one, '-->' at column 16, has no target; write one route per arrow, each with its target (as in 'ready --> done')")]
    [InlineData("ready --> done --> idle", "-->", "a route has one arrow, but a second one, '-->' at column 16, comes after 'done'; write one route per arrow (as in 'ready --> done' and 'done --> idle')")]
    // stray characters, named with their column
    [InlineData("ready --> inv&alid", "&", "'inv&alid' is not a state name: '&' at column 14 is not a letter, digit or '_'; write a name of letters, digits and '_' (as in 'inv_alid')")]
    [InlineData("ready done --> idle", " ", "'ready done' is not a state name: it has a space at column 6; write ',' between two states (as in 'ready, done'), or '_' inside one name (as in 'ready_done')")]
    [InlineData("ready-done", "-", "'ready-done' is not a state name: '-' at column 6 is not a letter, digit or '_'; write a name of letters, digits and '_' (as in 'ready_done'), or an arrow (as in 'ready --> done')")]
    [InlineData("ready --> 2nd", "2", "'2nd' is not a state name: it starts with '2' at column 11, not with an ASCII letter or '_'; write a name that starts with a letter or '_' (as in '_2nd')")]
    [InlineData("ready --> /not(a, b-c)", "-", "'b-c' in '/not(a, b-c)' is not a state name: '-' at column 20 is not a letter, digit or '_'; write a name of letters, digits and '_' (as in 'b_c')")]
    public async Task Route_mistakes_say_what_to_write_and_point_at_the_offending_text(string route, string marked, string expected)
    {
        var diagnostic = await Syn014Async("[Receive(\"" + route + "\")]");

        Assert.Equal("Route \"" + route + "\" of 'M' is malformed: " + expected, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        var text = diagnostic.Location.SourceTree!.GetText();
        var literal = text.ToString().IndexOf("\"" + route + "\"", StringComparison.Ordinal);
        Assert.Equal(marked, text.ToString(diagnostic.Location.SourceSpan));
        var offset = diagnostic.Location.SourceSpan.Start - literal - 1;
        Assert.Equal(marked, route.Substring(offset, marked.Length));
    }

    [Fact]
    public async Task An_empty_receiver_route_names_the_states_to_write()
    {
        var diagnostic = await Syn014Async("[Receive(\"  \")]");

        Assert.Equal(
            "Route \"  \" of 'M' is malformed: an empty route never fires a receiver; write the states it fires on (as in 'ready'), or an arrow (as in 'ready --> done')",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal("\"  \"", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public async Task Escapes_in_the_literal_keep_the_location_on_the_offending_text()
    {
        var diagnostic = await Syn014Async("[Receive(\"ready\\t->\\u0020done\")]");

        Assert.Equal("->", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.EndsWith("'->' is not an arrow; write '-->' (as in 'ready --> done')", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declared_style_is_suggested_for_its_own_label()
    {
        var diagnostic = await Syn014Async("[Receive(\"ready =={ x }=> done\")]", "[ArrowStyle(\"=\", \"{\", \"}\", \";\", \">\")]");

        Assert.EndsWith("'}=>' is not the end of a label; write '}==>' (as in 'ready =={ x }==> done')", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal("}=>", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    private static async Task<Diagnostic> Syn014Async(string receive, string nodeAttributes = "")
    {
        var source = """
            using Synapse;
            using Synapse.Flows;

            [AgentNode]

            """ + nodeAttributes + """

            public partial class Node
            {
                [Receive("--> ready")]
                public FlowEvent? Start(object? p) => null;

            """ + "    " + receive + """

                public FlowEvent? M(object? p) => null;
            }
            """;
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(("Node.cs", source)));
        var diagnostics = await GeneratorHarness.AnalyzerDiagnosticsAsync(run.Output);
        return Assert.Single(diagnostics, d => d.Id == "SYN014");
    }
}
