namespace Synapse.Generators { internal static class Placeholder { } }
