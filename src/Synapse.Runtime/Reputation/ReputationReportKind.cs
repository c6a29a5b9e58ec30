namespace Synapse.Reputation;

/// <summary>The outcome of an interaction, as its counterparty reports it.</summary>
public enum ReputationReportKind
{
    /// <summary>The subject did what the interaction asked.</summary>
    Success = 1,

    /// <summary>The subject answered with a failure or a wrong result.</summary>
    Failure = 2,

    /// <summary>The subject did not answer in time.</summary>
    Timeout = 3,
}
