using System.CommandLine;
using Synapse.Artifacts;
using Synapse.Cli.Json;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Cli.Commands;

/// <summary>
/// <c>synapse artifacts HOST:PORT [NAME] [--content] [--out FILE]</c>: lists the artifacts a Synapse or synapse-p2p node
/// serves, or fetches one and checks its size and SHA-256 against its content.
/// </summary>
internal static class ArtifactsCommand
{
    public static Command Create(CliConsole console)
    {
        var node = new NodeOptions();
        var name = new Argument<string?>("NAME") { Description = "The artifact to fetch, e.g. agent-card; none lists them all", Arity = ArgumentArity.ZeroOrOne };
        var content = new Option<bool>("--content") { Description = "Print only the content: text as it is, a value as JSON, bytes as base64" };
        var output = new Option<string?>("--out") { Description = "Write the content's bytes (those its sha256 is over) to FILE", HelpName = "FILE" };
        var command = new Command("artifacts", "List the artifacts a node serves, or fetch one and check its sha256");
        node.AddTo(command);
        command.Arguments.Add(name);
        command.Options.Add(content);
        command.Options.Add(output);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var wanted = parse.GetValue(name);
            var builtin = wanted is null ? "_synapse.artifacts" : "_synapse.artifact.get";
            using var target = node.Read(parse);
            await using var client = target.CreateClient();
            MsgPackValue answer;
            try
            {
                answer = await client.CallAsync(builtin, wanted is null ? null : [wanted], cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw RpcErrors.Describe(e, target.Address, builtin);
            }

            try
            {
                if (wanted is null)
                {
                    foreach (var artifact in (answer.Type == MsgPackType.Array ? answer.AsArray() : throw Malformed(target, "not a list")).Select(ServedArtifact.FromMsgPack))
                    {
                        console.Out.WriteLine($"{artifact.Name}  {artifact.MimeType}  {artifact.Encoding}  {artifact.Size} bytes  sha256 {artifact.Sha256}{(artifact.Description.Length > 0 ? "  " + artifact.Description : "")}");
                    }

                    return ExitCodes.Ok;
                }

                Show(ServedArtifact.FromMsgPack(answer), answer, target, parse.GetValue(content), parse.GetValue(output), console);
            }
            catch (RpcException e) when (e.Code == RpcErrorCodes.ProtocolError)
            {
                throw CliException.Failure($"{target.Address} sent a malformed answer to {builtin}: {e.Message}", e);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Checks the artifact against its digest, then prints it, its content, or writes its bytes.</summary>
    private static void Show(ServedArtifact artifact, MsgPackValue answer, NodeOptions.Target target, bool contentOnly, string? output, CliConsole console)
    {
        if (!artifact.Matches())
        {
            throw CliException.Failure($"artifact '{artifact.Name}' from {target.Address} does not match its size and sha256 ({artifact.Size} bytes, {artifact.Sha256}): it was changed or damaged");
        }

        if (output is not null)
        {
            File.WriteAllBytes(output, artifact.HashedBytes());
            console.Report($"wrote {artifact.Size} bytes of '{artifact.Name}' ({artifact.MimeType}) to {output}");
        }
        else if (contentOnly)
        {
            console.Out.WriteLine(artifact.Content.Type == MsgPackType.String ? artifact.Content.AsString() : JsonText.ToIndentedJson(artifact.Content));
        }
        else
        {
            ResultPrinter.Print(answer, raw: false, console);
        }
    }

    private static CliException Malformed(NodeOptions.Target target, string what) =>
        CliException.Failure($"{target.Address} answered _synapse.artifacts with {what}");
}
