using Synapse.Generators.Flows;

namespace Synapse.Generators.Tests.Flows;

/// <summary>Summoner's TRIGGERS format (spec §2.4).</summary>
public class TriggersParserTests
{
    [Fact]
    public void Indentation_gives_paths_and_qualified_names()
    {
        var file = TriggersParser.Parse("/p/TRIGGERS", "ok\n    match\nexit\n    error\n");

        Assert.Empty(file.Errors);
        Assert.Equal(
            new[] { ("ok", "ok", "0", "ok"), ("match", "ok.match", "0,0", "match"), ("exit", "exit", "1", "exit"), ("error", "exit.error", "1,0", "error") },
            file.Entries.Select(e => (e.Name, e.QualifiedName, string.Join(",", e.Path), e.Accessor)));
        Assert.Equal("/p/", file.Directory);
    }

    [Fact]
    public void Tabs_comments_and_blank_lines()
    {
        var file = TriggersParser.Parse("TRIGGERS", "# header\r\nok   # the good case\r\n\r\n\tmatch\r\n        again\r\n");

        Assert.Empty(file.Errors);
        Assert.Equal(new[] { "ok", "ok.match", "ok.again" }, file.Entries.Select(e => e.QualifiedName));
    }

    [Fact]
    public void A_name_under_two_parents_gets_path_accessors_and_dotted_lookup()
    {
        var file = TriggersParser.Parse("TRIGGERS", "ok\n  match\nexit\n  match\n");

        Assert.Equal(new[] { "ok", "ok_match", "exit", "exit_match" }, file.Entries.Select(e => e.Accessor));
        Assert.Null(file.Find("match", out var ambiguous));
        Assert.True(ambiguous);
        Assert.Equal(new[] { 1, 0 }, file.Find("exit.match", out _)!.Path);
        Assert.Equal("ok", file.Find("ok", out _)!.QualifiedName);
        Assert.Null(file.Find("nope", out ambiguous));
        Assert.False(ambiguous);
    }

    [Theory]
    [InlineData("a\n        b\n    c\n", 2, 4, "Inconsistent indent")]
    [InlineData("a\nb\na\n", 2, 0, "Duplicate")]
    [InlineData("a\n  x\n  x\n", 2, 2, "Duplicate")]
    [InlineData("ok\n1a\n", 1, 0, "not a valid")]
    [InlineData("a-b\n", 0, 1, "not a valid")]
    [InlineData("class\n", 0, 0, "reserved")]
    [InlineData("_hidden\n", 0, 0, "reserved")]
    [InlineData("Trigger\n", 0, 0, "reserved")]
    [InlineData("ok\n  NameOf\n", 1, 2, "reserved")]
    [InlineData("ok\n  Equals\n", 1, 2, "reserved")]
    [InlineData("ok_match\nok\n  match\nexit\n  match\n", 2, 2, "Trigger.ok_match")]
    public void Format_errors_have_a_line_and_column(string text, int line, int column, string message)
    {
        var file = TriggersParser.Parse("TRIGGERS", text);

        var error = Assert.Single(file.Errors);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(file.Entries);
    }

    [Fact]
    public void Same_name_under_one_parent_at_different_depths_is_fine()
    {
        var file = TriggersParser.Parse("TRIGGERS", "a\n  a\n    a\n");

        Assert.Equal(new[] { "a", "a.a", "a.a.a" }, file.Entries.Select(e => e.QualifiedName));
        Assert.Equal(new[] { "a", "a_a", "a_a_a" }, file.Entries.Select(e => e.Accessor));
    }
}
