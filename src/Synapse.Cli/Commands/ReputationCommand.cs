using System.CommandLine;
using System.Globalization;
using Synapse.Cli.Json;
using Synapse.Identity;
using Synapse.Reputation;

namespace Synapse.Cli.Commands;

/// <summary>
/// <c>synapse reputation AGENT-ID (--from HOST:PORT | --evidence-file FILE) [--save FILE] [--as-of TIME]
/// [--trusted-relay ID]… [--anchor ID]… [--json]</c>: fetches the evidence a node holds about an agent (or reads
/// a saved set), recomputes the score locally, verifying every item, and prints it with the counts and the
/// refused items.
/// </summary>
internal static class ReputationCommand
{
    public static Command Create(CliConsole console)
    {
        var node = new NodeOptions();
        var agent = new Argument<string>("AGENT-ID") { Description = "The agent to score, a did:key" };
        var from = new Option<string?>("--from") { Description = "The node to fetch the evidence from (its _agent.evidence), e.g. 127.0.0.1:9999", HelpName = "HOST:PORT" };
        var file = new Option<string?>("--evidence-file") { Description = "Score a saved evidence set instead of fetching one", HelpName = "FILE" };
        var save = new Option<string?>("--save") { Description = "Also save the fetched evidence to FILE (replaced if it exists), for --evidence-file", HelpName = "FILE" };
        var asOf = new Option<string?>("--as-of") { Description = "The time the score is computed for, ISO 8601 (default: now, to the second)", HelpName = "TIME" };
        var relays = new Option<string[]>("--trusted-relay") { Description = "A relay whose quarantine attestations count (repeatable)", HelpName = "ID" };
        var anchors = new Option<string[]>("--anchor") { Description = "An agent trusted as a starting point for credibility (repeatable)", HelpName = "ID" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the score, the options, the evidence used and the refused items" };
        var command = new Command("reputation", "Fetch an agent's reputation evidence from a node (or a file), verify it and recompute the score") { agent };
        command.Options.Add(from);
        command.Options.Add(file);
        command.Options.Add(save);
        command.Options.Add(asOf);
        command.Options.Add(relays);
        command.Options.Add(anchors);
        command.Options.Add(json);
        node.AddConnectionOptionsTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var subject = ParseId(parse.GetRequiredValue(agent), "AGENT-ID");
            var (address, path, savePath) = (parse.GetValue(from), parse.GetValue(file), parse.GetValue(save));
            CheckSources(address, path, savePath);
            var options = new ReputationOptions
            {
                AsOf = ParseTime(parse.GetValue(asOf)),
                TrustedRelays = [.. (parse.GetValue(relays) ?? []).Select(id => ParseId(id, "--trusted-relay"))],
                Anchors = [.. (parse.GetValue(anchors) ?? []).Select(id => ParseId(id, "--anchor"))],
            };

            FetchedEvidence evidence;
            string origin;
            if (address is not null)
            {
                using var target = node.Read(parse, address);
                evidence = await EvidenceSource.FetchAsync(target, subject, cancellationToken).ConfigureAwait(false);
                origin = target.Address.ToString();
            }
            else
            {
                evidence = await EvidenceSource.LoadAsync(path!, subject, cancellationToken).ConfigureAwait(false);
                origin = path!;
            }

            if (evidence.Truncated)
            {
                console.Report($"note: {origin} cut the evidence to fit one response: {evidence.Evidence.Count} of {evidence.Available} items; the score counts only what was received");
            }

            if (savePath is not null)
            {
                await EvidenceSource.SaveAsync(evidence.Evidence, savePath, cancellationToken).ConfigureAwait(false);
                console.Report($"saved {evidence.Evidence.Count} evidence items to {savePath}");
            }

            var result = new ReputationResult(evidence, origin, address is null, options, evidence.Score(options));
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(JsonText.ToIndentedJson(result.ToJson()));
            }
            else
            {
                result.Print(console.Out);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void CheckSources(string? address, string? path, string? savePath)
    {
        if ((address is null) == (path is null))
        {
            throw CliException.Usage(address is null
                ? "give --from HOST:PORT to fetch the evidence, or --evidence-file FILE to read saved evidence"
                : "--from and --evidence-file exclude each other");
        }

        if (savePath is not null && address is null)
        {
            throw CliException.Usage("--save needs --from HOST:PORT (it saves fetched evidence)");
        }
    }

    private static AgentId ParseId(string text, string what) =>
        AgentId.TryParse(text, out var id, out var error)
            ? id
            : throw CliException.Usage($"invalid agent id '{text}' in {what}: {CliConsole.Clause(error ?? "not a did:key")}");

    private static DateTimeOffset ParseTime(string? text)
    {
        if (text is null)
        {
            var now = DateTimeOffset.UtcNow;
            return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw CliException.Usage($"--as-of must be an ISO 8601 time such as 2026-06-01T12:00:00Z, not '{text}'");
    }
}
