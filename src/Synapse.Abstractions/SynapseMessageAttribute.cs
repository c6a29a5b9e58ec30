namespace Synapse;

/// <summary>
/// Marks a record or class whose public properties travel as a MessagePack map keyed by property name.
/// The source generator writes its formatter and JSON Schema; no reflection is used at run time.
/// </summary>
/// <remarks>
/// The type needs a public constructor whose parameters match properties by name (records' primary
/// constructors qualify), or a public parameterless constructor and settable properties.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class SynapseMessageAttribute : Attribute
{
}
