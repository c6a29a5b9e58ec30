using System.Globalization;
using Synapse.MessagePack;
using Synapse.Reputation;

namespace Synapse.Cli.Commands;

/// <summary>What <c>synapse reputation</c> computed, as text for people or one JSON object.</summary>
/// <param name="Fetched">The evidence and where it came from.</param>
/// <param name="Origin">The node's <c>HOST:PORT</c>, or the evidence file's path.</param>
/// <param name="FromFile">Whether <paramref name="Origin"/> is a file.</param>
/// <param name="Options">The formula's parameters (printed, so the score can be recomputed).</param>
/// <param name="Score">The locally computed score.</param>
internal sealed record ReputationResult(FetchedEvidence Fetched, string Origin, bool FromFile, ReputationOptions Options, ReputationScore Score)
{
    /// <summary>Writes aligned fields, then one line per refused item: its reason and hash.</summary>
    public void Print(TextWriter output)
    {
        var source = Fetched.Source is { } peer ? $"{Origin} ({peer})" : Origin;
        var received = Fetched.Truncated ? $"{Fetched.Evidence.Count} of {Fetched.Available} items (truncated)" : Count(Fetched.Evidence.Count, "item");
        (string Key, string Value)[] fields =
        [
            ("score", Number(Score.Value)),
            ("alpha", Number(Score.Alpha)),
            ("beta", Number(Score.Beta)),
            ("successes", Integer(Score.Successes)),
            ("failures", Integer(Score.Failures)),
            ("timeouts", Integer(Score.Timeouts)),
            ("quarantines", Integer(Score.Quarantines)),
            ("as of", Time(Options.AsOf)),
            ("evidence", $"{received} from {source}, {Integer(Score.Evidence.Count)} used"),
            ("rejected", Integer(Score.Rejected.Count)),
        ];
        output.WriteLine($"reputation of {Fetched.Subject}");
        var keyWidth = fields.Max(field => field.Key.Length);
        foreach (var (key, value) in fields)
        {
            output.WriteLine($"  {key.PadRight(keyWidth)}  {value}");
        }

        var reasonWidth = Score.Rejected.Count == 0 ? 0 : Score.Rejected.Max(r => r.Reason.Length);
        foreach (var rejected in Score.Rejected)
        {
            output.WriteLine($"    {rejected.Reason.PadRight(reasonWidth)}  {rejected.Hash}");
        }
    }

    /// <summary>
    /// <c>{agent, score, alpha, beta, successes, failures, timeouts, quarantines, options, source, evidence, rejected}</c>;
    /// <c>evidence</c> lists the hashes of the items counted (bytewise order), <c>rejected</c> the refused ones with a reason.
    /// </summary>
    public MsgPackValue ToJson() => MsgPackValue.Map(
    [
        ("agent", Fetched.Subject.ToString()),
        ("score", Score.Value),
        ("alpha", Score.Alpha),
        ("beta", Score.Beta),
        ("successes", Score.Successes),
        ("failures", Score.Failures),
        ("timeouts", Score.Timeouts),
        ("quarantines", Score.Quarantines),
        ("options", MsgPackValue.Map(
        [
            ("as_of", Time(Options.AsOf)),
            ("trusted_relays", MsgPackValue.FromArray(Options.TrustedRelays.Select(id => (MsgPackValue)id.ToString()))),
            ("anchors", MsgPackValue.FromArray(Options.Anchors.Select(id => (MsgPackValue)id.ToString()))),
            ("established_counterparties", Options.EstablishedCounterparties),
            ("max_reports_per_reporter", Options.MaxReportsPerReporter),
            ("timeout_weight", Options.TimeoutWeight),
            ("quarantine_weight", Options.QuarantineWeight),
            ("quarantine_memory_days", Options.QuarantineMemory.TotalDays),
        ])),
        ("source", MsgPackValue.Map(
        [
            ("node", FromFile ? null : Origin),
            ("file", FromFile ? Origin : null),
            ("peer_id", Fetched.Source?.ToString()),
            ("items", Fetched.Evidence.Count),
            ("available", Fetched.Available),
            ("truncated", Fetched.Truncated),
        ])),
        ("evidence", MsgPackValue.FromArray(Score.Evidence.Select(hash => (MsgPackValue)hash.ToString()))),
        ("rejected", MsgPackValue.FromArray(Score.Rejected.Select(r => MsgPackValue.Map([("hash", r.Hash.ToString()), ("reason", r.Reason)])))),
    ]);

    private static string Number(double value) => value.ToString("0.000000", CultureInfo.InvariantCulture);

    private static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Count(int count, string noun) => $"{Integer(count)} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>UTC, with a fraction only when the time has one.</summary>
    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture);
}
