using System.Reflection;
using System.Runtime.CompilerServices;

namespace Synapse.Tests.Architecture;

/// <summary>
/// A package opens its internals to tests, the tests' shared kit (Synapse.Testing) and benchmarks only: another package
/// uses its public API, like any user's code.
/// </summary>
public sealed class InternalsVisibilityTests
{
    private static readonly string[] Products =
        ["Synapse.Abstractions", "Synapse.Core", "Synapse.Runtime", "Synapse.Relay", "Synapse.Relay.Server", "Synapse.Relay.RabbitMQ", "Synapse.Storage.Sqlite", "Synapse.Hosting", "Synapse.AI"];

    public static TheoryData<string> Assemblies() => [.. Products];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Internals_are_visible_to_no_other_package(string assembly)
    {
        var friends = Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"))
            .GetCustomAttributes<InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName)
            .ToList();

        var packages = friends.Where(f => !f.EndsWith(".Tests", StringComparison.Ordinal) && f is not "Synapse.Benchmarks" and not "Synapse.Testing").ToList();

        Assert.True(packages.Count == 0, $"{assembly} opens its internals to {string.Join(", ", packages)}; give them a public API instead.");
    }

    [Fact]
    public void The_check_sees_the_test_assemblies()
    {
        var friends = typeof(Synapse.Signing.SignatureDomain).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName);

        Assert.Contains("Synapse.Tests", friends);
    }
}
