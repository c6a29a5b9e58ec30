namespace Synapse.Tests.Architecture;

/// <summary>
/// The package layout of docs/architecture.md, checked on the compiled assemblies: references point one way, a plain
/// agent's packages carry neither SQLite nor the relay server, and no new circle of namespaces appears.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>What the generic-host integration brings: DI, options, configuration, hosting, health checks.</summary>
    private static readonly string[] HostingModel =
    [
        "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Options",
        "Microsoft.Extensions.Options.ConfigurationExtensions", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.Configuration.Abstractions", "Microsoft.Extensions.Configuration.Binder",
        "Microsoft.Extensions.Primitives", "Microsoft.Extensions.Diagnostics.HealthChecks", "Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions",
    ];

    /// <summary>Each product assembly and what it may reference beyond .NET itself.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Synapse.Abstractions"] = [],
        ["Synapse.Core"] = ["NSec.Cryptography"],
        ["Synapse.Runtime"] = ["Synapse.Core", "Synapse.Abstractions", "Microsoft.Extensions.Logging.Abstractions", "Cronos"],
        ["Synapse.Relay"] = ["Synapse.Runtime", "Synapse.Core", "Synapse.Abstractions", "Microsoft.Extensions.Logging.Abstractions"],
        ["Synapse.Hosting"] = ["Synapse.Relay", "Synapse.Runtime", "Synapse.Core", "Synapse.Abstractions", "Microsoft.Extensions.Logging.Abstractions", .. HostingModel],
        ["Synapse.Relay.Server"] = ["Synapse.Hosting", "Synapse.Relay", "Synapse.Runtime", "Synapse.Core", "Synapse.Abstractions", "Microsoft.Extensions.Logging.Abstractions", .. HostingModel],
        ["Synapse.Relay.RabbitMQ"] = ["Synapse.Relay.Server", "Synapse.Relay", "Synapse.Runtime", "Synapse.Core", "Synapse.Abstractions", "RabbitMQ.Client", "Microsoft.Extensions.Logging.Abstractions"],
        ["Synapse.AI"] = ["Synapse.Hosting", "Synapse.Runtime", "Synapse.Core", "Synapse.Abstractions", "Microsoft.Extensions.AI.Abstractions", "ModelContextProtocol", "ModelContextProtocol.Core", "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Options", "Microsoft.Extensions.Logging.Abstractions"],
        ["Synapse.Storage.Sqlite"] = ["Synapse.Relay", "Synapse.Runtime", "Synapse.Core", "Synapse.Abstractions", "Microsoft.Data.Sqlite", "Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions"],
    };

    /// <summary>
    /// The layers of Synapse.Runtime's call path, lowest first, and what each may use of the others: Rpc at the
    /// bottom (on Scheduling, which uses none of them); Discovery's cards, Artifacts and Client on it; Hosting on those; Reputation, Swarm and Tasks, the host's features,
    /// on top. A namespace stands for its sub-namespaces (Discovery.Lan is Discovery).
    /// </summary>
    private static readonly Dictionary<string, string[]> RuntimeLayers = new(StringComparer.Ordinal)
    {
        ["Synapse.Scheduling"] = [],
        ["Synapse.Rpc"] = ["Synapse.Scheduling"],
        ["Synapse.Discovery"] = ["Synapse.Rpc"],
        ["Synapse.Client"] = ["Synapse.Rpc"],
        ["Synapse.Artifacts"] = ["Synapse.Rpc"],
        ["Synapse.Hosting"] = ["Synapse.Rpc", "Synapse.Scheduling", "Synapse.Discovery", "Synapse.Artifacts"],
        ["Synapse.Reputation"] = ["Synapse.Rpc", "Synapse.Discovery", "Synapse.Client", "Synapse.Hosting"],
        ["Synapse.Swarm"] = ["Synapse.Rpc", "Synapse.Discovery", "Synapse.Client", "Synapse.Hosting", "Synapse.Tasks"],
        ["Synapse.Tasks"] = ["Synapse.Rpc", "Synapse.Client", "Synapse.Hosting"],
    };

    public static TheoryData<string> Assemblies() => [.. Allowed.Keys];

    /// <summary>The product assemblies and the generator, which ships inside the Runtime package.</summary>
    public static TheoryData<string> AssembliesAndGenerator() => [.. Allowed.Keys, "Synapse.Generators"];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void References_point_one_way(string assembly)
    {
        var graph = AssemblyGraph.Read(PathOf(assembly));

        var unexpected = graph.References.Where(r => !IsPlatform(r) && !Allowed[assembly].Contains(r)).ToList();

        Assert.True(unexpected.Count == 0, $"{assembly} references {string.Join(", ", unexpected)}; it may reference only {string.Join(", ", Allowed[assembly].DefaultIfEmpty("the platform"))} (docs/architecture.md)");
    }

    [Fact]
    public void A_plain_agent_ships_neither_sqlite_nor_the_relay()
    {
        var runtime = AssemblyGraph.Read(PathOf("Synapse.Runtime"));
        var core = AssemblyGraph.Read(PathOf("Synapse.Core"));

        Assert.DoesNotContain(runtime.References.Concat(core.References), r => r.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) || r.StartsWith("Synapse.Relay", StringComparison.Ordinal));
    }

    [Fact]
    public void A_hosted_agent_ships_neither_sqlite_nor_the_relay_server()
    {
        var hosting = AssemblyGraph.Read(PathOf("Synapse.Hosting"));

        Assert.DoesNotContain(hosting.References, r => r.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) || r == "Synapse.Relay.Server");
    }

    [Theory]
    [MemberData(nameof(AssembliesAndGenerator))]
    public void No_circle_of_namespaces(string assembly)
    {
        var cycles = AssemblyGraph.Read(PathOf(assembly)).NamespaceCycles();

        Assert.True(cycles.Count == 0, $"{assembly} has namespaces that use each other in a circle: "
            + string.Join("; ", cycles.Select(c => string.Join(" ↔ ", c))) + ". Cut the circle (move the type, or add a seam owned by the lower namespace).");
    }

    [Fact]
    public void The_runtime_layers_point_down()
    {
        var uses = AssemblyGraph.Read(PathOf("Synapse.Runtime")).NamespaceUses;

        var upward = uses.Where(u => LayerOf(u.Key) is not null)
            .SelectMany(u => u.Value.Select(LayerOf).OfType<string>().Where(used => used != LayerOf(u.Key) && !RuntimeLayers[LayerOf(u.Key)!].Contains(used)).Select(used => $"{u.Key} → {used}"))
            .ToList();

        Assert.Contains("Synapse.Rpc", uses["Synapse.Hosting"]);
        Assert.True(upward.Count == 0, $"Synapse.Runtime uses a layer that is not below: {string.Join("; ", upward)} (docs/architecture.md)");
    }

    [Fact]
    public void The_reader_sees_references_and_uses_in_code()
    {
        var graph = AssemblyGraph.Read(typeof(ArchitectureTests).Assembly.Location);

        Assert.Contains("Synapse.Runtime", graph.References);
        Assert.Contains("Synapse.Tests.Rpc", graph.NamespaceUses["Synapse.Tests.Swarm"]); // SwarmHostTests starts a TestHost
        Assert.DoesNotContain("Synapse.Tests.Swarm", graph.NamespaceUses["Synapse.Tests.Rpc"]);
    }

    [Fact]
    public void Circles_are_the_strongly_connected_sets()
    {
        var graph = new AssemblyGraph("shape", [], new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"], ["B"] = ["A", "C"], ["C"] = ["D"], ["D"] = ["E"], ["E"] = ["C"], ["F"] = ["A"],
        });

        Assert.Equal([["A", "B"], ["C", "D", "E"]], graph.NamespaceCycles().OrderBy(c => c[0], StringComparer.Ordinal));
    }

    /// <summary>The layer of <see cref="RuntimeLayers"/> <paramref name="ns"/> belongs to, or <c>null</c> (Flows, for one).</summary>
    private static string? LayerOf(string ns) =>
        RuntimeLayers.Keys.FirstOrDefault(layer => ns == layer || ns.StartsWith(layer + ".", StringComparison.Ordinal));

    private static bool IsPlatform(string reference) =>
        reference is "System" or "netstandard" or "mscorlib" || reference.StartsWith("System.", StringComparison.Ordinal)
        || reference.StartsWith("Microsoft.Win32.", StringComparison.Ordinal);

    private static string PathOf(string assembly) => Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
}
