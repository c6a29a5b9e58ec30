using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Synapse.Publish.Tests;

/// <summary>
/// Packs every packable project into a throw-away folder, as <c>dotnet pack -c Release -o ./packages</c> does, and uses
/// that folder as a user would: an application built against it, and the <c>synapse</c> tool installed from it.
/// </summary>
public sealed partial class PackageConsumerTests(PackageConsumerTests.PackedFolder packed) : IClassFixture<PackageConsumerTests.PackedFolder>
{
    private const string ConsumerProgram = """
        using Synapse;
        using Synapse.Client;
        using Synapse.Hosting;
        using Synapse.Relay.Configuration;
        using Synapse.Relay.RabbitMQ;

        await using var host = new AgentHost(new Greeter());
        await host.StartAsync();
        await using var client = new SynapseClient(host.LocalEndPoint);
        Console.WriteLine(await new GreeterClient(client).GreetAsync("package"));
        Console.WriteLine((await client.CallAsync("_agent.info"))["name"]);

        // The RabbitMQ package: a backplane is built from a relay's configuration (it connects only when a relay starts).
        var relayOptions = RelayConfiguration.Parse("{\"backplane\": {\"rabbitmq\": {\"uri\": \"amqp://127.0.0.1:5672/\", \"prefix\": \"consumer\"}}}");
        await using (new RabbitMqBackplane(relayOptions))
        {
            Console.WriteLine($"backplane {relayOptions.Backplane!.Prefix}");
        }

        [AgentNode(Name = "greeter")]
        public partial class Greeter
        {
            [Endpoint("greet")]
            public string Greet(string name, string greeting = "hello") => $"{greeting}, {name}";
        }
        """;

    [Fact]
    public void Every_package_packs_without_warnings()
    {
        foreach (var (project, (exitCode, log)) in packed.PackLogs)
        {
            Assert.True(exitCode == 0, $"dotnet pack {project} failed:\n{log}");
            // "missing a readme" is a NuGet message rather than a warning, and what this check is for as much as warnings.
            var complaints = log.Split('\n').Where(l => WarningLine().IsMatch(l) || l.Contains("missing a readme", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(complaints.Count == 0, $"dotnet pack {project} warned:\n{string.Join('\n', complaints)}\n\nThe whole log:\n{log}");
        }
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Each_package_has_a_readme_at_its_root_a_licence_expression_a_description_and_tags(string id)
    {
        using var package = ZipFile.OpenRead(packed.PackagePath(id));
        var nuspecEntry = Assert.Single(package.Entries, e => e.FullName == $"{id}.nuspec");
        XDocument nuspec;
        using (var stream = nuspecEntry.Open())
        {
            nuspec = XDocument.Load(stream);
        }

        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
        var nuspecText = nuspec.ToString();

        var readme = Field("readme");
        Assert.False(string.IsNullOrEmpty(readme), $"{id}: no <readme> in the nuspec:\n{nuspecText}");
        var readmeEntry = package.Entries.SingleOrDefault(e => e.FullName == readme);
        Assert.True(readmeEntry is not null, $"{id}: the readme '{readme}' is not at the package root: {string.Join(", ", package.Entries.Select(e => e.FullName))}");
        string readmeText;
        using (var reader = new StreamReader(readmeEntry.Open()))
        {
            readmeText = reader.ReadToEnd();
        }

        Assert.Contains($"# {id}", readmeText);
        // A package carries no docs/ folder: a relative link in its readme would lead nowhere.
        var relativeLinks = RelativeLink().Matches(readmeText).Select(m => m.Value).ToList();
        Assert.True(relativeLinks.Count == 0, $"{id}: the readme links to files the package does not hold: {string.Join(", ", relativeLinks)}");

        var license = metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "license");
        Assert.True(license is not null && (string?)license.Attribute("type") == "expression" && license.Value == "MIT",
            $"{id}: no <license type=\"expression\">MIT</license>:\n{nuspecText}");

        var description = Field("description");
        Assert.False(string.IsNullOrEmpty(description) || description == "Package Description", $"{id}: no description of its own:\n{nuspecText}");
        Assert.False(string.IsNullOrEmpty(Field("tags")), $"{id}: no tags:\n{nuspecText}");
        Assert.False(string.IsNullOrEmpty(Field("authors")), $"{id}: no authors:\n{nuspecText}");

        switch (id)
        {
            case "Synapse.Runtime":
                Assert.Contains(package.Entries, e => e.FullName == "analyzers/dotnet/cs/Synapse.Generators.dll");
                break;
            case "Synapse.Cli":
                Assert.Contains("DotnetTool", nuspecText);
                Assert.Contains(package.Entries, e => e.FullName == "tools/net10.0/any/Synapse.Cli.dll");
                break;
        }
    }

    [Fact]
    public async Task An_application_built_against_the_packed_folder_gets_the_generator_from_the_runtime_package()
    {
        var consumer = Directory.CreateDirectory(Path.Combine(packed.WorkPath, "consumer")).FullName;
        await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="synapse-local" value="{packed.Feed}" />
              </packageSources>
            </configuration>
            """);
        // The test's packages are restored into the work folder, not the machine's package cache; what the cache
        // already holds (the packages' own dependencies) is read from it.
        var fallback = packed.GlobalPackagesFolder is { } folder ? $"<RestoreFallbackFolders>{folder}</RestoreFallbackFolders>" : "";
        await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{Path.Combine(packed.WorkPath, "restored")}</RestorePackagesPath>
                {fallback}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Synapse.Runtime" Version="{packed.Version}" />
                <PackageReference Include="Synapse.Relay.RabbitMQ" Version="{packed.Version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), ConsumerProgram);

        var (runExit, output) = await DotNet.RunAsync(consumer, "run", "-c", "Release");

        Assert.True(runExit == 0, output);
        Assert.Contains("hello, package", output);
        Assert.Contains("greeter", output);
        Assert.Contains("backplane consumer", output);
    }

    [Fact]
    public async Task The_synapse_tool_installs_from_the_packed_folder_and_runs()
    {
        var tools = Path.Combine(packed.WorkPath, "tools");
        var (installExit, installLog) = await DotNet.RunAsync(
            packed.WorkPath, "tool", "install", "Synapse.Cli", "--tool-path", tools, "--add-source", packed.Feed, "--version", packed.Version);
        Assert.True(installExit == 0, installLog);

        var synapse = Path.Combine(tools, OperatingSystem.IsWindows() ? "synapse.exe" : "synapse");
        var (versionExit, version) = await DotNet.ExecAsync(synapse, packed.WorkPath, "--version");
        Assert.True(versionExit == 0, version);
        Assert.Contains(packed.Version, version);

        var (helpExit, help) = await DotNet.ExecAsync(synapse, packed.WorkPath, "--help");
        Assert.True(helpExit == 0, help);
        Assert.Contains("keygen", help);
        Assert.Contains("relay", help);
    }

    public static TheoryData<string> Packages() => new(PackedFolder.Packages);

    // "warning NU5104: …", "…/Foo.cs(1,2): warning CS1591: …", "Warning: …".
    [GeneratedRegex(@"\bwarning\b", RegexOptions.IgnoreCase)]
    private static partial Regex WarningLine();

    // A Markdown link or image whose target is not a web address or an anchor.
    [GeneratedRegex(@"\]\((?!https?://|#)[^)]*\)")]
    private static partial Regex RelativeLink();

    /// <summary>Every packable project packed once, with a version of its own, into a folder removed afterwards.</summary>
    public sealed class PackedFolder : IAsyncLifetime
    {
        /// <summary>The packable projects under src/ (all but those that say IsPackable false), which <c>dotnet pack</c> of the solution produces.</summary>
        public static readonly string[] Packages = [.. Directory.GetDirectories(Path.Combine(DotNet.RepositoryRoot, "src"))
            .Select(Path.GetFileName)
            .Where(id => File.Exists(Path.Combine(DotNet.RepositoryRoot, "src", id!, $"{id}.csproj"))
                && !File.ReadAllText(Path.Combine(DotNet.RepositoryRoot, "src", id!, $"{id}.csproj")).Contains("<IsPackable>false</IsPackable>", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Cast<string>()];

        private readonly TempDirectory _work = new();

        public string WorkPath => _work.Path;

        public string Feed => Path.Combine(_work.Path, "feed");

        public string Version { get; } = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";

        /// <summary>Each project's pack exit code and log, in packing order.</summary>
        public List<(string Project, (int ExitCode, string Log) Result)> PackLogs { get; } = [];

        /// <summary>The machine's NuGet package cache, if it is where NuGet puts it unless told otherwise.</summary>
        public string? GlobalPackagesFolder { get; } =
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages") is var home && Directory.Exists(home) ? home
            : null;

        public string PackagePath(string id)
        {
            var path = Path.Combine(Feed, $"{id}.{Version}.nupkg");
            var (exitCode, log) = PackLogs.Single(p => p.Project == id).Result;
            Assert.True(File.Exists(path), $"dotnet pack {id} (exit code {exitCode}) made no {Path.GetFileName(path)}:\n{log}");
            return path;
        }

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Feed);
            foreach (var id in Packages)
            {
                var project = Path.Combine(DotNet.RepositoryRoot, "src", id, $"{id}.csproj");
                PackLogs.Add((id, await DotNet.RunAsync(DotNet.RepositoryRoot, "pack", project, "-c", "Release", "-o", Feed, $"-p:Version={Version}")));
            }
        }

        public Task DisposeAsync()
        {
            _work.Dispose();
            return Task.CompletedTask;
        }
    }
}
