using Synapse;

namespace Quickstart;

/// <summary>The quickstart node: one endpoint that adds two numbers.</summary>
[AgentNode(Name = "calculator", Role = "math", Description = "Adds numbers")]
public partial class Calculator
{
    /// <summary>Returns a + b.</summary>
    [Endpoint("sum")]
    public int Sum(int a, int b) => a + b;
}
