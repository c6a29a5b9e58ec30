using Synapse.Generators.Flows;

namespace Synapse.Generators.Tests.Flows;

/// <summary>The accept/reject table of Summoner's route grammar (spec §2.3), with the default arrow style.</summary>
public class RouteParserTests
{
    private static readonly IReadOnlyList<ArrowStyle> Default = new[] { ArrowStyle.Default };

    [Theory]
    [InlineData("ready --> action", "ready--[]-->action", true, false)]
    [InlineData("A-->B", "A--[]-->B", true, false)]
    [InlineData("A --> B, C", "A--[]-->B,C", true, false)]
    [InlineData("A, B --> C", "A,B--[]-->C", true, false)]
    [InlineData("--> B", "--[]-->B", true, true)]
    [InlineData("--[ f ]--> B", "--[f]-->B", true, true)]
    [InlineData("A --[ f ]--> B", "A--[f]-->B", true, false)]
    [InlineData("A --[f, g]--> B, C", "A--[f,g]-->B,C", true, false)]
    [InlineData("A --[]--> B", "A--[]-->B", true, false)]
    [InlineData("A --[ f ]-->", "A--[f]-->", true, false)]
    [InlineData("/all --> B", "/all--[]-->B", true, false)]
    [InlineData("/not(A,B) --> C", "/not(A,B)--[]-->C", true, false)]
    [InlineData("/oneof(A, B) --> C", "/oneof(A,B)--[]-->C", true, false)]
    [InlineData("A --[ /all ]--> B", "A--[/all]-->B", true, false)]
    [InlineData("register", "register", false, false)]
    [InlineData("a, b, c", "a,b,c", false, false)]
    [InlineData("/all", "/all", false, false)]
    [InlineData("/not()", "/not()", false, false)]
    [InlineData("A -->", "A", false, false)]
    [InlineData("A --[ ]-->", "A", false, false)]
    [InlineData("A --> B,", "A--[]-->B", true, false)]
    [InlineData("A,,B", "A,B", false, false)]
    [InlineData("", "", false, false)]
    [InlineData("   ", "", false, false)]
    [InlineData("a_é1 --> B", "a_é1--[]-->B", true, false)]
    public void Accepted_routes_have_summoners_canonical_form(string route, string canonical, bool isArrow, bool isInitial)
    {
        var result = RouteParser.Parse(route, Default);

        Assert.Null(result.Error);
        Assert.NotNull(result.Route);
        Assert.Equal(canonical, result.Route!.Canonical);
        Assert.Equal(isArrow, result.Route.IsArrow);
        Assert.Equal(isInitial, result.Route.IsInitial);
    }

    [Theory]
    [InlineData("/travel", 0)]
    [InlineData("/ALL", 0)]
    [InlineData("foo(bar)", 3)]
    [InlineData("cmd(x y)", 3)]
    [InlineData("A -> B", 2)]
    [InlineData("A ==> B", 2)]
    [InlineData("A --> B --> C", 8)]
    [InlineData("A --[ f --> B", 4)]
    [InlineData("-->", 0)]
    [InlineData("A --> inv&alid", 9)]
    [InlineData("A B --> C", 1)]
    [InlineData("1abc --> b", 0)]
    [InlineData("a-b", 1)]
    [InlineData("A --> /all(x)", 10)]
    [InlineData("A --> /not(a, 2b)", 14)]
    [InlineData("A --> /oneof", 11)]
    [InlineData("A --> /not(a", 10)]
    [InlineData("état --> B", 0)]
    [InlineData("/oneof(a,b)", 8)] // objects are split on every comma, as in Summoner
    public void Rejected_routes_point_at_the_offending_character(string route, int offset)
    {
        var result = RouteParser.Parse(route, Default);

        Assert.Null(result.Route);
        Assert.False(string.IsNullOrEmpty(result.Error));
        Assert.False(string.IsNullOrEmpty(result.Fix));
        Assert.Equal(offset, result.ErrorOffset);
        Assert.InRange(result.ErrorLength, 1, route.Length - offset);
    }

    [Fact]
    public void Nodes_keep_their_kind_names_and_source_offsets()
    {
        var route = RouteParser.Parse("  a, /not(x, y) --[ /oneof(p,q) ]--> /all", Default).Route!;

        Assert.Equal(new[] { (RouteNodeKind.Plain, 2, 1), (RouteNodeKind.Not, 5, 10) }, route.Sources.Select(n => (n.Kind, n.Offset, n.Length)));
        Assert.Equal(new[] { "x", "y" }, route.Sources[1].Names);
        Assert.Equal(RouteNodeKind.OneOf, route.Labels.Single().Kind);
        Assert.Equal(new[] { "p", "q" }, route.Labels.Single().Names);
        Assert.Equal(RouteNodeKind.All, route.Targets.Single().Kind);
    }

    [Fact]
    public void Declared_styles_are_tried_after_the_default_and_print_canonically()
    {
        var styles = ArrowStyle.WithDefault(new[] { new ArrowStyle("=", "{", "}", ";", ">") });

        Assert.Equal("A--[f]-->B,C", RouteParser.Parse("A =={ f }==> B; C", styles).Route!.Canonical);
        Assert.Equal("A--[]-->B", RouteParser.Parse("A ==> B", styles).Route!.Canonical);
        Assert.Equal("A--[]-->B", RouteParser.Parse("A --> B", styles).Route!.Canonical);
        Assert.Null(RouteParser.Parse("A ==> B", Default).Route);
    }

    [Theory]
    [InlineData("--", "[", "]", ",", ">", "stem")]
    [InlineData("", "[", "]", ",", ">", "stem")]
    [InlineData("-", "", "]", ",", ">", "empty")]
    [InlineData("-", "[", "]", ",", "-->", "contains")]
    [InlineData("-", "[", "]", "/", ">", "separator")]
    [InlineData("-", "[", "]", "-,", ">", "separator")]
    [InlineData("-", "[", "]", "(", ">", "separator")]
    public void Invalid_styles_are_rejected(string stem, string left, string right, string separator, string tip, string reason)
    {
        var error = new ArrowStyle(stem, left, right, separator, tip).Validate();

        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_style_is_valid()
    {
        Assert.Null(ArrowStyle.Default.Validate());
        Assert.Null(new ArrowStyle("=", "{", "}", ";", ">").Validate());
    }

    [Theory]
    [InlineData("a --> b", "a--[]-->b")]
    [InlineData("b, a --> c, c", "a,b--[]-->c")]
    [InlineData("a, b, a --> c", "a,b--[]-->c")]
    [InlineData("x --[ g, f ]--> y", "x--[f,g]-->y")]
    [InlineData("/oneof(b, a, b) --> /not(y,x)", "/oneof(a,b)--[]-->/not(x,y)")]
    [InlineData("b, /all, a", "/all,a,b")]
    [InlineData("a -->", "a")]
    [InlineData("--> b, a", "--[]-->a,b")]
    public void Normalised_routes_ignore_order_and_repeats(string route, string normalized)
    {
        var parsed = RouteParser.Parse(route, Default).Route!;

        Assert.Equal(normalized, parsed.Normalized);
    }
}
