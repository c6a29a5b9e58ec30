namespace Synapse; internal static class Placeholder { }
