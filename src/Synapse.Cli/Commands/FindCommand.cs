using System.CommandLine;
using System.Globalization;
using System.Net;
using Synapse.Cli.Json;
using Synapse.Client;
using Synapse.Discovery;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Relay;
using Synapse.Relay.Client;

namespace Synapse.Cli.Commands;

/// <summary>
/// <c>synapse find HOST:PORT [--capability X] [--role R] [--name N] [--text T] [--page-size N] [--page-token T]
/// [--identity FILE] [--json]</c>: connects to a relay as an agent and prints the verified cards its directory holds
/// for the query, one page.
/// </summary>
internal static class FindCommand
{
    public static Command Create(CliConsole console)
    {
        var node = new NodeOptions();
        node.Address.Description = "The relay to ask, e.g. 127.0.0.1:8888";
        var capability = new Option<string?>("--capability") { Description = "A capability the agent lists, e.g. code-review", HelpName = "NAME" };
        var role = new Option<string?>("--role") { Description = "The agent's role", HelpName = "ROLE" };
        var name = new Option<string?>("--name") { Description = "Text the agent's name contains", HelpName = "TEXT" };
        var text = new Option<string?>("--text") { Description = "Text the name, description or a capability name contains", HelpName = "TEXT" };
        var pageSize = new Option<int>("--page-size")
        {
            Description = $"Cards per page, 1 to {AgentQuery.MaxPageSize}",
            HelpName = "N",
            DefaultValueFactory = _ => AgentQuery.DefaultPageSize,
        };
        var pageToken = new Option<string?>("--page-token") { Description = "Continue after a previous page", HelpName = "TOKEN" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the cards and the next page token" };
        var command = new Command("find", "Find agents by capability, role, name or text in a relay's directory");
        node.AddTo(command);
        command.Options.Add(capability);
        command.Options.Add(role);
        command.Options.Add(name);
        command.Options.Add(text);
        command.Options.Add(pageSize);
        command.Options.Add(pageToken);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var size = parse.GetValue(pageSize);
            if (size is < 1 or > AgentQuery.MaxPageSize)
            {
                throw CliException.Usage($"--page-size must be from 1 to {AgentQuery.MaxPageSize}, not {size.ToString(CultureInfo.InvariantCulture)}");
            }

            var query = new AgentQuery
            {
                Capability = parse.GetValue(capability),
                Role = parse.GetValue(role),
                Name = parse.GetValue(name),
                Text = parse.GetValue(text),
                PageSize = size,
                PageToken = parse.GetValue(pageToken),
            };
            try
            {
                query.Validate();
            }
            catch (ArgumentException e)
            {
                throw CliException.Usage(CliConsole.Clause(e.Message));
            }

            using var target = node.Read(parse);
            var page = await FindAsync(target, query, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(JsonText.ToIndentedJson(ToJson(page)));
            }
            else
            {
                Print(page, console.Out);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<AgentPage> FindAsync(NodeOptions.Target target, AgentQuery query, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(target.Timeout);
        using var ephemeral = target.Identity is null ? AgentIdentity.Generate() : null;
        var identity = target.Identity ?? ephemeral!;
        using var encryptionKey = EncryptionKeyPair.Generate(identity);
        var relay = new RelayEndpoint(await ResolveAsync(target.Address, timeout.Token).ConfigureAwait(false));
        await using var client = new RelayClient(identity, encryptionKey, new RelayClientOptions
        {
            Relays = [relay],
            Backoff = new ReconnectBackoffOptions { InitialDelay = TimeSpan.Zero, AttemptsPerEndpoint = 1, MaxAttempts = 1 },
            ConnectTimeout = target.Timeout,
        });
        try
        {
            await client.StartAsync(timeout.Token).ConfigureAwait(false);
            await client.WaitConnectedAsync(timeout.Token).ConfigureAwait(false);
            return await client.FindAgentsAsync(query, timeout.Token).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw CliException.Failure($"cannot reach the relay at {target.Address}: {CliConsole.Clause(e.Message)}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw CliException.Failure($"the relay at {target.Address} did not answer within {target.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", e);
        }
        catch (RelayRefusedException e)
        {
            throw CliException.Failure($"the relay at {target.Address} refused the query: {e.Code}", e);
        }
        catch (IOException e)
        {
            throw CliException.Failure($"lost the relay at {target.Address}: {CliConsole.Clause(e.Message)}", e);
        }
    }

    private static async Task<EndPoint> ResolveAsync(NodeAddress address, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(address.Host, out var ip))
        {
            return new IPEndPoint(ip, address.Port);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(address.Host, cancellationToken).ConfigureAwait(false);
            return addresses.Length > 0
                ? new IPEndPoint(addresses[0], address.Port)
                : throw CliException.Failure($"'{address.Host}' has no address");
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw CliException.Failure($"cannot resolve '{address.Host}': {CliConsole.Clause(e.Message)}", e);
        }
    }

    private static void Print(AgentPage page, TextWriter output)
    {
        if (page.Cards.Count == 0)
        {
            output.WriteLine("no agents found");
        }

        foreach (var card in page.Cards)
        {
            output.WriteLine(card.Role.Length == 0 ? card.Name : $"{card.Name} ({card.Role})");
            output.WriteLine($"  id:           {card.Agent}");
            if (card.Description.Length > 0)
            {
                output.WriteLine($"  description:  {card.Description}");
            }

            output.WriteLine($"  capabilities: {(card.Capabilities.Count == 0 ? "-" : string.Join(", ", card.Capabilities.Select(c => c.Name)))}");
            output.WriteLine($"  relays:       {(card.Relays.Count == 0 ? "-" : string.Join(", ", card.Relays))}");
            output.WriteLine($"  encryption:   {(card.EncryptionKey is null ? "none" : "key until " + Time(card.EncryptionKey.ExpiresAt))}");
            output.WriteLine($"  expires:      {Time(card.ExpiresAt)}");
        }

        if (page.NextPageToken is { } token)
        {
            output.WriteLine($"more: --page-token {token}");
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static MsgPackValue ToJson(AgentPage page) => MsgPackValue.Map(
    [
        ("agents", MsgPackValue.FromArray(page.Cards.Select(ToJson))),
        ("next_page_token", page.NextPageToken),
    ]);

    private static MsgPackValue ToJson(AgentCard card) => MsgPackValue.Map(
    [
        ("id", card.Agent.ToString()),
        ("name", card.Name),
        ("role", card.Role),
        ("description", card.Description),
        ("capabilities", MsgPackValue.FromArray(card.Capabilities.Select(c => MsgPackValue.Map(
        [
            ("name", c.Name),
            ("description", c.Description),
            ("input_schema", Schema(c.InputSchema)),
            ("output_schema", Schema(c.OutputSchema)),
        ])))),
        ("relays", MsgPackValue.FromArray(card.Relays.Select(r => MsgPackValue.Map(
        [
            ("endpoint", r.Endpoint),
            ("relay_id", r.RelayId.IsDefault ? null : r.RelayId.ToString()),
        ])))),
        ("encryption_key", card.EncryptionKey is null ? MsgPackValue.Nil : Convert.ToBase64String(card.EncryptionKey.Encoded.Span)),
        ("issued_at", Time(card.IssuedAt)),
        ("expires_at", Time(card.ExpiresAt)),
    ]);


    /// <summary>A schema as JSON when it parses, else as the text the card holds.</summary>
    private static MsgPackValue Schema(string schema)
    {
        try
        {
            return MsgPackValue.ParseJson(schema);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or ArgumentException)
        {
            return schema;
        }
    }
}
