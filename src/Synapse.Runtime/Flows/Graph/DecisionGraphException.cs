namespace Synapse.Flows.Graph;

/// <summary>A decision record is malformed, or a decision graph cannot be used (another agent's, unreadable, not a graph).</summary>
public sealed class DecisionGraphException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public DecisionGraphException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DecisionGraphException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception (for serialisers and analyzers; prefer the other constructors).</summary>
    public DecisionGraphException()
    {
    }
}
