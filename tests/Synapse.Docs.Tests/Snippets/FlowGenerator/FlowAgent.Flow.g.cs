// docs/flow-generator.md, "What is generated": the part of the generator's output for FlowAgent.cs that the doc shows,
// abbreviated (GeneratedCodeTests checks that its tokens appear, in order, in what the generator emits).
partial class FlowAgent : global::Synapse.Flows.IFlowNode<global::Demo.FlowAgent>
{
    public static global::Synapse.Flows.FlowDefinition<global::Demo.FlowAgent> Flow { get; } = __CreateSynapseFlow();

    private static global::Synapse.Flows.FlowDefinition<global::Demo.FlowAgent> __CreateSynapseFlow()
    {
        return new global::Synapse.Flows.FlowDefinition<global::Demo.FlowAgent>
        {
            Receivers = new global::Synapse.Flows.FlowReceiver<global::Demo.FlowAgent>[]
            {
                new("Check", global::Synapse.Flows.FlowRoute.Arrow(
                        new global::Synapse.Flows.StateNode[] { global::Synapse.Flows.StateNode.State("ready") },
                        new global::Synapse.Flows.StateNode[] { global::Synapse.Flows.StateNode.State("checking") },
                        new global::Synapse.Flows.StateNode[] { global::Synapse.Flows.StateNode.State("done"), global::Synapse.Flows.StateNode.State("failed") }),
                    new int[] { 1 },
                    static async (agent, payload, cancellationToken) => await agent.Check(__SynapseFlowCast<global::Demo.Order>(payload, "FlowAgent.Check", false), cancellationToken).ConfigureAwait(false)),
            },
            // Senders, Hooks, UploadStates, DownloadStates likewise
        };
    }
}
