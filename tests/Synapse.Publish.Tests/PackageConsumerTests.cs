namespace Synapse.Publish.Tests;

public sealed class PackageConsumerTests
{
    private const string ConsumerProgram = """
        using Synapse;
        using Synapse.Client;
        using Synapse.Hosting;

        await using var host = new AgentHost(new Greeter());
        await host.StartAsync();
        await using var client = new SynapseClient(host.LocalEndPoint);
        Console.WriteLine(await new GreeterClient(client).GreetAsync("package"));
        Console.WriteLine((await client.CallAsync("_agent.info"))["name"]);

        [AgentNode(Name = "greeter")]
        public partial class Greeter
        {
            [Endpoint("greet")]
            public string Greet(string name, string greeting = "hello") => $"{greeting}, {name}";
        }
        """;

    [Fact]
    public async Task A_project_referencing_only_the_runtime_package_gets_the_generator()
    {
        using var work = new TempDirectory();
        var feed = Directory.CreateDirectory(Path.Combine(work.Path, "feed")).FullName;
        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        foreach (var library in new[] { "Synapse.Abstractions", "Synapse.Runtime" })
        {
            var project = Path.Combine(DotNet.RepositoryRoot, "src", library, $"{library}.csproj");
            var (packExit, packLog) = await DotNet.RunAsync(DotNet.RepositoryRoot, "pack", project, "-c", "Release", "-o", feed, $"-p:Version={version}");
            Assert.True(packExit == 0, packLog);
        }

        using (var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"Synapse.Runtime.{version}.nupkg")))
        {
            Assert.Contains(package.Entries, e => e.FullName == "analyzers/dotnet/cs/Synapse.Generators.dll");
        }

        var consumer = Directory.CreateDirectory(Path.Combine(work.Path, "consumer")).FullName;
        await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="synapse-local" value="../feed" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Synapse.Runtime" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), ConsumerProgram);

        var (runExit, output) = await DotNet.RunAsync(consumer, "run", "-c", "Release");

        Assert.True(runExit == 0, output);
        Assert.Contains("hello, package", output);
        Assert.Contains("greeter", output);
    }
}
