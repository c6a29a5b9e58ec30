namespace Synapse;

/// <summary>Overrides the map key of a <see cref="SynapseMessageAttribute"/> property (the default is the property name).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class MessageKeyAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="key">The key written on the wire.</param>
    public MessageKeyAttribute(string key) => Key = key;

    /// <summary>The key written on the wire.</summary>
    public string Key { get; }
}
