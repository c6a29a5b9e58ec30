// Polyfills for C# features used by the generator on netstandard2.0 (hand-written; PolySharp is unavailable).
namespace System.Runtime.CompilerServices
{
    /// <summary>Enables <c>init</c> accessors and records on netstandard2.0.</summary>
    internal static class IsExternalInit
    {
    }
}
