using Synapse.Generators.Common;

namespace Synapse.Generators.Messages;

/// <summary>How a supported type travels on the wire.</summary>
internal enum WireKind
{
    Boolean,
    SByte,
    Byte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Single,
    Double,
    String,
    DateTimeOffset,
    Guid,

    /// <summary><c>byte[]</c> as MessagePack bin.</summary>
    Binary,

    /// <summary><c>ReadOnlyMemory&lt;byte&gt;</c> as MessagePack bin.</summary>
    BinaryMemory,
    MsgPackValue,
    Enum,

    /// <summary><c>Nullable&lt;T&gt;</c> of a supported value type.</summary>
    NullableValue,

    /// <summary>A reference type annotated <c>?</c> (or declared in a nullable-oblivious context).</summary>
    NullableRef,
    Array,
    List,
    ReadOnlyList,
    IList,
    ReadOnlyCollection,
    Collection,
    Enumerable,
    Dictionary,
    ReadOnlyDictionary,
    IDictionary,
    Message,
}

/// <summary>A supported wire type. Message types are referenced by name; their members live in <see cref="MessageModel"/>.</summary>
/// <param name="Kind">The wire kind.</param>
/// <param name="TypeName">The C# type, <c>global::</c>-qualified, with nullable annotations.</param>
/// <param name="Mangled">A unique identifier fragment naming the type's formatter helpers.</param>
/// <param name="Display">A short human-readable name for messages.</param>
/// <param name="Element">The element, value or underlying type of wrappers and collections.</param>
/// <param name="Enum">The members of an enum.</param>
/// <param name="IsValueType">Whether the C# type is a value type.</param>
internal sealed record TypeModel(
    WireKind Kind,
    string TypeName,
    string Mangled,
    string Display,
    TypeModel? Element,
    EnumModel? Enum,
    bool IsValueType)
{
    public bool IsPrimitive => Kind <= WireKind.Double;

    public bool IsNullable => Kind is WireKind.NullableRef or WireKind.NullableValue;
}

/// <summary>The members of an enum type.</summary>
/// <param name="Underlying">The underlying integer kind.</param>
/// <param name="Members">Members in declaration order.</param>
internal sealed record EnumModel(WireKind Underlying, EquatableArray<EnumMemberModel> Members);

/// <summary>An enum member.</summary>
/// <param name="Name">The member name (written on the wire).</param>
/// <param name="Value">The constant value, invariant decimal text.</param>
/// <param name="IsFirstWithValue">Whether no earlier member has the same value (used for the write switch).</param>
internal sealed record EnumMemberModel(string Name, string Value, bool IsFirstWithValue);

/// <summary>A [SynapseMessage] type: its members and how to construct it.</summary>
/// <param name="TypeName">The C# type, <c>global::</c>-qualified, without nullable annotation.</param>
/// <param name="Mangled">The helper-name fragment.</param>
/// <param name="Display">The type name for error messages.</param>
/// <param name="IsValueType">Whether it is a struct.</param>
/// <param name="Members">Serialized members in write order.</param>
/// <param name="ConstructorMembers">Indices into <see cref="Members"/>, in constructor parameter order.</param>
internal sealed record MessageModel(
    string TypeName,
    string Mangled,
    string Display,
    bool IsValueType,
    EquatableArray<MemberModel> Members,
    EquatableArray<int> ConstructorMembers);

/// <summary>How a member is assigned when reading.</summary>
internal enum MemberBinding
{
    /// <summary>Passed to the constructor.</summary>
    Constructor,

    /// <summary>Assigned in the object initializer (init-only or required).</summary>
    Initializer,

    /// <summary>Assigned after construction when the key is present.</summary>
    Setter,
}

/// <summary>A serialized property of a message.</summary>
/// <param name="Name">The property identifier (escaped).</param>
/// <param name="Key">The map key.</param>
/// <param name="Type">The property type.</param>
/// <param name="Binding">How reading assigns it.</param>
/// <param name="IsRequired">Whether a missing key is an error.</param>
/// <param name="DefaultLiteral">The C# value used when the key is missing and it is not required (null: <c>default</c>).</param>
internal sealed record MemberModel(
    string Name,
    string Key,
    TypeModel Type,
    MemberBinding Binding,
    bool IsRequired,
    string? DefaultLiteral);
