using System.CommandLine;
using Synapse.Cli.Json;
using Synapse.Rpc;

namespace Synapse.Cli.Commands;

/// <summary>
/// <c>synapse call HOST:PORT ENDPOINT [ARGS…] [--identity FILE] [--timeout SECONDS] [--raw]</c>: calls an endpoint
/// and prints the result as JSON.
/// </summary>
internal static class CallCommand
{
    public static Command Create(CliConsole console)
    {
        var node = new NodeOptions();
        var endpoint = new Argument<string>("ENDPOINT") { Description = "The endpoint to call, e.g. sum or _synapse.ping" };
        var args = JsonArguments.Positional();
        var raw = new Option<bool>("--raw") { Description = "Print a string result as it is and anything else as one line of JSON" };
        var command = new Command("call", "Call an endpoint of a Synapse or synapse-p2p node and print the result as JSON");
        node.AddTo(command);
        command.Arguments.Add(endpoint);
        command.Arguments.Add(args);
        command.Options.Add(raw);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var name = parse.GetRequiredValue(endpoint);
            var values = JsonArguments.Values(parse, args);
            using var target = node.Read(parse);
            await using var client = target.CreateClient();
            try
            {
                var result = await client.CallAsync(name, values, cancellationToken: cancellationToken).ConfigureAwait(false);
                ResultPrinter.Print(result, parse.GetValue(raw), console);
                return ExitCodes.Ok;
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw RpcErrors.Describe(e, target.Address, name);
            }
        });
        return command;
    }
}
