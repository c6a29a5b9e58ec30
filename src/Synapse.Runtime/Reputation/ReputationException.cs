namespace Synapse.Reputation;

/// <summary>Reputation evidence (a report, an attestation or an evidence set) is malformed or over its limits.</summary>
public sealed class ReputationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The decoding error, if any.</param>
    public ReputationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
