using System.CommandLine;
using Synapse.Cli.Json;
using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Cli.Commands;

/// <summary>
/// <c>synapse inspect HOST:PORT [--json]</c>: asks a node who it is (<c>_synapse.info</c>), what it serves
/// (<c>_synapse.methods</c>) and what it can do (<c>_agent.capabilities</c>).
/// </summary>
internal static class InspectCommand
{
    public static Command Create(CliConsole console)
    {
        var node = new NodeOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON object with info, methods and capabilities" };
        var command = new Command("inspect", "Show a node's info, published methods and capabilities");
        node.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var target = node.Read(parse);
            await using var client = target.CreateClient();
            var report = await CollectAsync(client, target.Address, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(JsonText.ToIndentedJson(report.ToJson()));
            }
            else
            {
                InspectPrinter.Print(report, console.Out);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<NodeReport> CollectAsync(SynapseClient client, NodeAddress address, CancellationToken cancellationToken)
    {
        var info = await CallAsync(client, address, cancellationToken, "_synapse.info").ConfigureAwait(false);
        var methods = await CallAsync(client, address, cancellationToken, "_synapse.methods").ConfigureAwait(false);
        // synapse-p2p v2 renamed _agent.* to _node.*; Synapse serves both.
        var capabilities = await CallAsync(client, address, cancellationToken, "_agent.capabilities", "_node.capabilities").ConfigureAwait(false);
        return new NodeReport(address, client.PeerId?.ToString(), client.NegotiatedMode, info, methods, capabilities);
    }

    /// <summary>Calls the first of <paramref name="names"/> the node serves; <c>null</c> when it serves none of them.</summary>
    private static async Task<MsgPackValue?> CallAsync(SynapseClient client, NodeAddress address, CancellationToken cancellationToken, params string[] names)
    {
        foreach (var name in names)
        {
            try
            {
                return await client.CallAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.Code == RpcErrorCodes.BadRequest && e.Message == $"Unregistered endpoint called: {name}")
            {
                // not served: try the next name
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw RpcErrors.Describe(e, address, name);
            }
        }

        return null;
    }
}
