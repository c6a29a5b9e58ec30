namespace Synapse.Flows.Graph;

/// <summary>The actions a flow transition records in <see cref="DecisionRecord.Action"/>.</summary>
public static class DecisionActions
{
    /// <summary>The receiver moved the flow to new states.</summary>
    public const string Move = "move";

    /// <summary>The receiver handled the message and stayed in its states.</summary>
    public const string Stay = "stay";

    /// <summary>The receiver tested a condition without handling the message.</summary>
    public const string Test = "test";

    /// <summary>No receiver acted.</summary>
    public const string None = "none";
}
