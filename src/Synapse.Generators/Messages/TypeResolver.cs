using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Synapse.Generators.Common;

namespace Synapse.Generators.Messages;

/// <summary>The outcome of mapping a type symbol to a wire type.</summary>
internal readonly struct TypeResolution
{
    private TypeResolution(TypeModel? model, string? error)
    {
        Model = model;
        Error = error;
    }

    public TypeModel? Model { get; }

    /// <summary>Why the type is unsupported (null when <see cref="Model"/> is set).</summary>
    public string? Error { get; }

    public static TypeResolution Ok(TypeModel model) => new(model, null);

    public static TypeResolution Fail(string error) => new(null, error);
}

/// <summary>A problem of a [SynapseMessage] type, reported as SYN012 at <see cref="Location"/>.</summary>
internal readonly struct MessageError
{
    public MessageError(string reason, Location? location)
    {
        Reason = reason;
        Location = location;
    }

    public string Reason { get; }

    public Location? Location { get; }
}

/// <summary>The analysis of one [SynapseMessage] type.</summary>
internal sealed class MessageInfo
{
    public MessageInfo(INamedTypeSymbol symbol) => Symbol = symbol;

    public INamedTypeSymbol Symbol { get; }

    /// <summary>The model, or null when <see cref="Errors"/> is not empty.</summary>
    public MessageModel? Model { get; set; }

    /// <summary>The type's own problems (not those of other source-declared message types it uses).</summary>
    public List<MessageError> Errors { get; } = new();

    public bool IsInSource => Symbol.DeclaringSyntaxReferences.Length > 0;

    /// <summary>True while the type's members are being analyzed (a cycle reaching it treats it as valid).</summary>
    public bool IsAnalyzing { get; set; }
}

/// <summary>
/// Maps type symbols to <see cref="TypeModel"/>s and analyzes [SynapseMessage] types. One instance serves one
/// analysis (a node or a message) of one compilation; it caches message analyses.
/// </summary>
internal sealed class TypeResolver
{
    private readonly KnownSymbols _known;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<string, INamedTypeSymbol> _messageSymbols = new(StringComparer.Ordinal);
    private readonly Dictionary<INamedTypeSymbol, MessageInfo> _messages = new(SymbolEqualityComparer.Default);

    public TypeResolver(KnownSymbols known, CancellationToken cancellationToken)
    {
        _known = known;
        _cancellationToken = cancellationToken;
    }

    public KnownSymbols Known => _known;

    private Compilation Compilation => _known.Compilation;

    /// <summary>Resolves a type as declared (its nullable annotation matters).</summary>
    public TypeResolution Resolve(ITypeSymbol type)
    {
        if (type is ITypeParameterSymbol)
        {
            return TypeResolution.Fail($"type parameter '{type.Name}' is not supported; use a concrete type");
        }

        if (type.IsReferenceType && type.NullableAnnotation != NullableAnnotation.NotAnnotated)
        {
            var inner = ResolveCore(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
            return inner.Model is null ? inner : TypeResolution.Ok(Wrap(WireKind.NullableRef, inner.Model, "Nullable_", inner.Model.TypeName + "?", inner.Model.Display + "?", false));
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            var inner = ResolveCore(nullable.TypeArguments[0]);
            return inner.Model is null ? inner : TypeResolution.Ok(Wrap(WireKind.NullableValue, inner.Model, "Nullable_", inner.Model.TypeName + "?", inner.Model.Display + "?", true));
        }

        return ResolveCore(type);
    }

    /// <summary>The analysis of a message type (cached).</summary>
    public MessageInfo GetMessage(INamedTypeSymbol symbol)
    {
        if (_messages.TryGetValue(symbol, out var info))
        {
            return info;
        }

        info = new MessageInfo(symbol) { IsAnalyzing = true };
        _messages.Add(symbol, info);
        try
        {
            AnalyzeMessage(info);
        }
        finally
        {
            info.IsAnalyzing = false;
        }

        return info;
    }

    /// <summary>The message analysis behind a message <see cref="TypeModel"/>.</summary>
    public MessageInfo GetMessage(TypeModel message) => GetMessage(_messageSymbols[message.Mangled]);

    /// <summary>The first message type reachable from <paramref name="type"/> that has problems, or null.</summary>
    /// <param name="type">The type to check.</param>
    /// <param name="metadataOnly">When true, only descends into message types not declared in source (source types report their own problems).</param>
    public MessageInfo? FindInvalidMessage(TypeModel type, bool metadataOnly) =>
        FindInvalidMessage(type, metadataOnly, new HashSet<string>(StringComparer.Ordinal));

    /// <summary>Adds the helper types and messages that generated code for <paramref name="type"/> calls.</summary>
    public void CollectFormatters(TypeModel type, Dictionary<string, TypeModel> helpers, Dictionary<string, MessageModel> messages)
    {
        switch (type.Kind)
        {
            case WireKind.NullableRef:
                CollectFormatters(type.Element!, helpers, messages);
                return;
            case WireKind.Message:
                if (messages.ContainsKey(type.Mangled))
                {
                    return;
                }

                var model = GetMessage(type).Model ?? throw new InvalidOperationException("invalid message " + type.Display);
                messages.Add(type.Mangled, model);
                foreach (var member in model.Members)
                {
                    CollectFormatters(member.Type, helpers, messages);
                }

                return;
            default:
                if (type.IsPrimitive || type.Kind is WireKind.String or WireKind.DateTimeOffset or WireKind.BinaryMemory)
                {
                    return;
                }

                if (!helpers.ContainsKey(type.Mangled))
                {
                    helpers.Add(type.Mangled, type);
                }

                if (type.Element is not null)
                {
                    CollectFormatters(type.Element, helpers, messages);
                }

                return;
        }
    }

    /// <summary>Whether the type and everything it references is public (so a public client may expose it).</summary>
    public static bool IsEffectivelyPublic(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return IsEffectivelyPublic(array.ElementType);
            case INamedTypeSymbol named:
                for (ISymbol? s = named; s is INamedTypeSymbol t; s = s.ContainingType)
                {
                    if (t.DeclaredAccessibility != Accessibility.Public)
                    {
                        return false;
                    }
                }

                return named.TypeArguments.All(IsEffectivelyPublic);
            default:
                return false;
        }
    }

    private MessageInfo? FindInvalidMessage(TypeModel type, bool metadataOnly, HashSet<string> visited)
    {
        if (type.Kind == WireKind.Message)
        {
            if (!visited.Add(type.Mangled))
            {
                return null;
            }

            var info = GetMessage(type);
            if (info.IsAnalyzing || (metadataOnly && info.IsInSource))
            {
                return null;
            }

            if (info.Model is null)
            {
                return info;
            }

            foreach (var member in info.Model.Members)
            {
                var invalid = FindInvalidMessage(member.Type, metadataOnly, visited);
                if (invalid is not null)
                {
                    return invalid;
                }
            }

            return null;
        }

        return type.Element is null ? null : FindInvalidMessage(type.Element, metadataOnly, visited);
    }

    private TypeResolution ResolveCore(ITypeSymbol type)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
                return Primitive(WireKind.Boolean, "bool", "Boolean");
            case SpecialType.System_SByte:
                return Primitive(WireKind.SByte, "sbyte", "SByte");
            case SpecialType.System_Byte:
                return Primitive(WireKind.Byte, "byte", "Byte");
            case SpecialType.System_Int16:
                return Primitive(WireKind.Int16, "short", "Int16");
            case SpecialType.System_UInt16:
                return Primitive(WireKind.UInt16, "ushort", "UInt16");
            case SpecialType.System_Int32:
                return Primitive(WireKind.Int32, "int", "Int32");
            case SpecialType.System_UInt32:
                return Primitive(WireKind.UInt32, "uint", "UInt32");
            case SpecialType.System_Int64:
                return Primitive(WireKind.Int64, "long", "Int64");
            case SpecialType.System_UInt64:
                return Primitive(WireKind.UInt64, "ulong", "UInt64");
            case SpecialType.System_Single:
                return Primitive(WireKind.Single, "float", "Single");
            case SpecialType.System_Double:
                return Primitive(WireKind.Double, "double", "Double");
            case SpecialType.System_String:
                return Primitive(WireKind.String, "string", "String");
            case SpecialType.System_Decimal:
                return TypeResolution.Fail("'decimal' is not supported; use double, long or string");
            case SpecialType.System_Char:
                return TypeResolution.Fail("'char' is not supported; use string");
            case SpecialType.System_DateTime:
                return TypeResolution.Fail("'DateTime' is not supported; use DateTimeOffset");
            case SpecialType.System_Object:
                return TypeResolution.Fail("'object' is not supported; use Synapse.MessagePack.MsgPackValue for dynamic values");
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
                return TypeResolution.Fail("native-sized integers are not supported; use int or long");
        }

        if (type is IArrayTypeSymbol array)
        {
            if (array.Rank != 1)
            {
                return TypeResolution.Fail("multi-dimensional arrays are not supported; use jagged arrays or lists");
            }

            if (array.ElementType.SpecialType == SpecialType.System_Byte)
            {
                return TypeResolution.Ok(new TypeModel(WireKind.Binary, "byte[]", "Binary", "byte[]", null, null, false));
            }

            return Collection(WireKind.Array, array.ElementType, "Array_", e => e + "[]");
        }

        if (type.TypeKind == TypeKind.Enum && type is INamedTypeSymbol enumType)
        {
            return ResolveEnum(enumType);
        }

        if (type is not INamedTypeSymbol named)
        {
            return TypeResolution.Fail($"'{type.ToDisplayString()}' is not a supported type; use a supported type (see SYN005) or a [SynapseMessage] type");
        }

        var definition = named.OriginalDefinition;
        switch (definition.SpecialType)
        {
            case SpecialType.System_Collections_Generic_IList_T:
                return Collection(WireKind.IList, named.TypeArguments[0], "IList_", e => "global::System.Collections.Generic.IList<" + e + ">");
            case SpecialType.System_Collections_Generic_IReadOnlyList_T:
                return Collection(WireKind.ReadOnlyList, named.TypeArguments[0], "IReadOnlyList_", e => "global::System.Collections.Generic.IReadOnlyList<" + e + ">");
            case SpecialType.System_Collections_Generic_ICollection_T:
                return Collection(WireKind.Collection, named.TypeArguments[0], "ICollection_", e => "global::System.Collections.Generic.ICollection<" + e + ">");
            case SpecialType.System_Collections_Generic_IReadOnlyCollection_T:
                return Collection(WireKind.ReadOnlyCollection, named.TypeArguments[0], "IReadOnlyCollection_", e => "global::System.Collections.Generic.IReadOnlyCollection<" + e + ">");
            case SpecialType.System_Collections_Generic_IEnumerable_T:
                return Collection(WireKind.Enumerable, named.TypeArguments[0], "IEnumerable_", e => "global::System.Collections.Generic.IEnumerable<" + e + ">");
        }

        if (KnownSymbols.Is(named, _known.List))
        {
            return Collection(WireKind.List, named.TypeArguments[0], "List_", e => "global::System.Collections.Generic.List<" + e + ">");
        }

        if (KnownSymbols.Is(named, _known.Dictionary))
        {
            return Map(WireKind.Dictionary, named, "Dictionary_", "global::System.Collections.Generic.Dictionary");
        }

        if (KnownSymbols.Is(named, _known.ReadOnlyDictionary))
        {
            return Map(WireKind.ReadOnlyDictionary, named, "IReadOnlyDictionary_", "global::System.Collections.Generic.IReadOnlyDictionary");
        }

        if (KnownSymbols.Is(named, _known.IDictionary))
        {
            return Map(WireKind.IDictionary, named, "IDictionary_", "global::System.Collections.Generic.IDictionary");
        }

        if (KnownSymbols.Is(named, _known.DateTimeOffset))
        {
            return TypeResolution.Ok(new TypeModel(WireKind.DateTimeOffset, "global::System.DateTimeOffset", "DateTimeOffset", "DateTimeOffset", null, null, true));
        }

        if (KnownSymbols.Is(named, _known.Guid))
        {
            return TypeResolution.Ok(new TypeModel(WireKind.Guid, "global::System.Guid", "Guid", "Guid", null, null, true));
        }

        if (KnownSymbols.Is(named, _known.ReadOnlyMemory))
        {
            return named.TypeArguments[0].SpecialType == SpecialType.System_Byte
                ? TypeResolution.Ok(new TypeModel(WireKind.BinaryMemory, "global::System.ReadOnlyMemory<byte>", "BinaryMemory", "ReadOnlyMemory<byte>", null, null, true))
                : TypeResolution.Fail("ReadOnlyMemory<T> is only supported for byte; use T[] or List<T>");
        }

        if (KnownSymbols.Is(named, _known.MsgPackValue))
        {
            return TypeResolution.Ok(new TypeModel(WireKind.MsgPackValue, "global::Synapse.MessagePack.MsgPackValue", "MsgPackValue", "MsgPackValue", null, null, false));
        }

        if (_known.Has(definition, _known.SynapseMessageAttribute))
        {
            if (IsGenericOrInGeneric(named))
            {
                return TypeResolution.Fail($"generic [SynapseMessage] type '{named.ToDisplayString()}' is not supported; use a non-generic [SynapseMessage] type");
            }

            if (!Compilation.IsSymbolAccessibleWithin(named, Compilation.Assembly))
            {
                return TypeResolution.Fail($"'{named.ToDisplayString()}' is not accessible to generated code; make it public or internal");
            }

            var mangled = MangleUserType(named);
            _messageSymbols[mangled] = named;
            return TypeResolution.Ok(new TypeModel(
                WireKind.Message,
                named.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                mangled,
                named.Name,
                null,
                null,
                named.IsValueType));
        }

        if (KnownSymbols.Is(named, _known.Task) || KnownSymbols.Is(named, _known.TaskOfT) ||
            KnownSymbols.Is(named, _known.ValueTask) || KnownSymbols.Is(named, _known.ValueTaskOfT))
        {
            return TypeResolution.Fail("tasks can only be the outermost return type of an endpoint; use the task's result type instead");
        }

        if (KnownSymbols.Is(named, _known.CancellationToken) || KnownSymbols.Is(named, _known.CallContext) || KnownSymbols.Is(named, _known.SwarmBroadcast))
        {
            return TypeResolution.Fail($"'{named.Name}' is bound by the runtime and cannot travel on the wire; remove it from the wire type (take it as a parameter of its own)");
        }

        if (named.DeclaringSyntaxReferences.Length > 0 && named.TypeKind is TypeKind.Class or TypeKind.Struct)
        {
            return TypeResolution.Fail($"'{named.ToDisplayString()}' is not a supported type; mark it [SynapseMessage] to send it as a message");
        }

        return TypeResolution.Fail($"'{named.ToDisplayString()}' is not a supported type; use a supported type (see SYN005) or a [SynapseMessage] type of your own");
    }

    private static TypeResolution Primitive(WireKind kind, string typeName, string mangled) =>
        TypeResolution.Ok(new TypeModel(kind, typeName, mangled, typeName, null, null, kind != WireKind.String));

    private static TypeModel Wrap(WireKind kind, TypeModel inner, string prefix, string typeName, string display, bool isValueType) =>
        new(kind, typeName, prefix + inner.Mangled, display, inner, null, isValueType);

    private TypeResolution Collection(WireKind kind, ITypeSymbol elementType, string prefix, Func<string, string> typeName)
    {
        var element = Resolve(elementType);
        if (element.Model is null)
        {
            return element;
        }

        var name = typeName(element.Model.TypeName);
        return TypeResolution.Ok(new TypeModel(kind, name, prefix + element.Model.Mangled, typeName(element.Model.Display).Replace("global::System.Collections.Generic.", ""), element.Model, null, false));
    }

    private TypeResolution Map(WireKind kind, INamedTypeSymbol type, string prefix, string genericName)
    {
        if (type.TypeArguments[0].SpecialType != SpecialType.System_String)
        {
            return TypeResolution.Fail($"dictionary keys must be string, not '{type.TypeArguments[0].ToDisplayString()}'; use string keys");
        }

        var value = Resolve(type.TypeArguments[1]);
        if (value.Model is null)
        {
            return value;
        }

        var name = genericName + "<string, " + value.Model.TypeName + ">";
        var display = genericName.Substring(genericName.LastIndexOf('.') + 1) + "<string, " + value.Model.Display + ">";
        return TypeResolution.Ok(new TypeModel(kind, name, prefix + value.Model.Mangled, display, value.Model, null, false));
    }

    private TypeResolution ResolveEnum(INamedTypeSymbol type)
    {
        if (IsGenericOrInGeneric(type))
        {
            return TypeResolution.Fail($"enum '{type.ToDisplayString()}' nested in a generic type is not supported; move the enum out of the generic type");
        }

        if (!Compilation.IsSymbolAccessibleWithin(type, Compilation.Assembly))
        {
            return TypeResolution.Fail($"enum '{type.ToDisplayString()}' is not accessible to generated code; make it public or internal");
        }

        var underlying = type.EnumUnderlyingType?.SpecialType switch
        {
            SpecialType.System_SByte => WireKind.SByte,
            SpecialType.System_Byte => WireKind.Byte,
            SpecialType.System_Int16 => WireKind.Int16,
            SpecialType.System_UInt16 => WireKind.UInt16,
            SpecialType.System_UInt32 => WireKind.UInt32,
            SpecialType.System_Int64 => WireKind.Int64,
            SpecialType.System_UInt64 => WireKind.UInt64,
            _ => WireKind.Int32,
        };

        var members = new List<EnumMemberModel>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true } field)
            {
                var value = Convert.ToString(field.ConstantValue, CultureInfo.InvariantCulture) ?? "0";
                members.Add(new EnumMemberModel(field.Name, value, seen.Add(value)));
            }
        }

        return TypeResolution.Ok(new TypeModel(
            WireKind.Enum,
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            MangleUserType(type),
            type.Name,
            null,
            new EnumModel(underlying, members.ToEquatableArray()),
            true));
    }

    private void AnalyzeMessage(MessageInfo info)
    {
        var type = info.Symbol;
        var typeLocation = type.Locations.FirstOrDefault();
        if (IsGenericOrInGeneric(type))
        {
            info.Errors.Add(new MessageError("generic message types are not supported; make it non-generic (one message type per payload shape)", typeLocation));
        }

        if (!Compilation.IsSymbolAccessibleWithin(type, Compilation.Assembly))
        {
            info.Errors.Add(new MessageError("it is not accessible to generated code; make it public or internal and do not nest it in a private type", typeLocation));
        }

        if (type.IsAbstract || type.IsStatic)
        {
            info.Errors.Add(new MessageError("abstract and static types cannot be constructed; make it a concrete class, struct or record", typeLocation));
        }

        if (info.Errors.Count > 0)
        {
            return;
        }

        var properties = CollectProperties(type);
        var constructor = ChooseConstructor(type, properties);
        if (constructor is null)
        {
            info.Errors.Add(new MessageError("it needs an accessible constructor whose parameters all match properties by name, or an accessible parameterless constructor; add one", typeLocation));
            return;
        }

        var setsRequired = _known.SetsRequiredMembersAttribute is not null && _known.Has(constructor, _known.SetsRequiredMembersAttribute);
        var members = new List<MemberModel>();
        var constructorMembers = new int[constructor.Parameters.Length];
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in properties)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var parameterIndex = -1;
            for (var i = 0; i < constructor.Parameters.Length; i++)
            {
                if (string.Equals(constructor.Parameters[i].Name, property.Name, StringComparison.OrdinalIgnoreCase))
                {
                    parameterIndex = i;
                    break;
                }
            }

            var parameter = parameterIndex >= 0 ? constructor.Parameters[parameterIndex] : null;
            var settable = property.SetMethod is not null && Compilation.IsSymbolAccessibleWithin(property.SetMethod, Compilation.Assembly);
            if (parameter is null && !settable)
            {
                continue; // read-only and not constructor-bound: not part of the message
            }

            var location = property.Locations.FirstOrDefault() ?? typeLocation;
            var resolution = Resolve(property.Type);
            if (resolution.Model is null)
            {
                info.Errors.Add(new MessageError($"property '{property.Name}' has unsupported type '{property.Type.ToDisplayString()}': {resolution.Error}", location));
                continue;
            }

            var invalid = FindInvalidMessage(resolution.Model, metadataOnly: true);
            if (invalid is not null)
            {
                info.Errors.Add(new MessageError($"property '{property.Name}' uses '{invalid.Symbol.ToDisplayString()}', which cannot be serialized: {invalid.Errors.FirstOrDefault().Reason}", location));
                continue;
            }

            var key = MessageKey(property) ?? (parameter is null ? null : MessageKey(parameter)) ?? property.Name;
            if (key.Length == 0 || !IsWellFormedUtf16(key))
            {
                info.Errors.Add(new MessageError($"property '{property.Name}' has an invalid message key; give it a non-empty [MessageKey] of well-formed text", location));
                continue;
            }

            if (keys.TryGetValue(key, out var other))
            {
                info.Errors.Add(new MessageError($"key '{key}' of property '{property.Name}' is already used by property '{other}'; give one of them another [MessageKey]", location));
                continue;
            }

            keys.Add(key, property.Name);
            var model = resolution.Model;
            MemberBinding binding;
            bool required;
            string? defaultLiteral = null;
            if (parameter is not null)
            {
                binding = MemberBinding.Constructor;
                if (parameter.HasExplicitDefaultValue)
                {
                    required = false;
                    defaultLiteral = DefaultValues.Literal(parameter.ExplicitDefaultValue, parameter.Type, model);
                }
                else
                {
                    required = !model.IsNullable;
                }

                constructorMembers[parameterIndex] = members.Count;
            }
            else if (property.SetMethod!.IsInitOnly || (property.IsRequired && !setsRequired))
            {
                binding = MemberBinding.Initializer;
                required = (property.IsRequired && !setsRequired) || IsNonNullableReference(model);
            }
            else
            {
                binding = MemberBinding.Setter;
                required = false;
            }

            members.Add(new MemberModel(Literals.Identifier(property.Name), key, model, binding, required, defaultLiteral));
        }

        if (info.Errors.Count > 0)
        {
            return;
        }

        info.Model = new MessageModel(
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            MangleUserType(type),
            type.Name,
            type.IsValueType,
            members.ToEquatableArray(),
            constructorMembers.ToEquatableArray());
    }

    /// <summary>Whether a missing value would leave a non-nullable reference null.</summary>
    private static bool IsNonNullableReference(TypeModel model) => !model.IsValueType && !model.IsNullable;

    private List<IPropertySymbol> CollectProperties(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        var result = new List<IPropertySymbol>();
        foreach (var declaring in chain)
        {
            foreach (var member in SymbolOrdering.Members(declaring))
            {
                if (member is not IPropertySymbol property || property.IsStatic || property.IsIndexer || property.GetMethod is null ||
                    !Compilation.IsSymbolAccessibleWithin(property.GetMethod, Compilation.Assembly))
                {
                    continue;
                }

                var existing = result.FindIndex(p => p.Name == property.Name);
                if (existing >= 0)
                {
                    result[existing] = property; // overridden or hidden: the most derived declaration wins, base position kept
                }
                else
                {
                    result.Add(property);
                }
            }
        }

        return result;
    }

    private IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<IPropertySymbol> properties)
    {
        IMethodSymbol? best = null;
        foreach (var constructor in type.InstanceConstructors)
        {
            if (!Compilation.IsSymbolAccessibleWithin(constructor, Compilation.Assembly))
            {
                continue;
            }

            if (constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type.OriginalDefinition, type))
            {
                continue; // copy constructor
            }

            var matches = constructor.Parameters.All(p =>
                p.RefKind == RefKind.None &&
                properties.Any(prop =>
                    string.Equals(prop.Name, p.Name, StringComparison.OrdinalIgnoreCase) &&
                    SymbolEqualityComparer.Default.Equals(prop.Type.WithNullableAnnotation(NullableAnnotation.None), p.Type.WithNullableAnnotation(NullableAnnotation.None))));
            if (matches && (best is null || constructor.Parameters.Length > best.Parameters.Length))
            {
                best = constructor;
            }
        }

        return best;
    }

    private string? MessageKey(ISymbol symbol)
    {
        var attribute = _known.Find(symbol, _known.MessageKeyAttribute);
        if (attribute is null)
        {
            return null;
        }

        return attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string key ? key : "";
    }

    private static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsGenericOrInGeneric(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A unique identifier fragment for a user type: namespace and type names joined by '_' ('_' in names doubled).</summary>
    internal static string MangleUserType(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (ISymbol? s = type; s is not null && !(s is INamespaceSymbol { IsGlobalNamespace: true }); s = s.ContainingSymbol)
        {
            parts.Insert(0, s.Name.Replace("_", "__"));
        }

        if (type.ContainingNamespace is null || type.ContainingNamespace.IsGlobalNamespace)
        {
            parts.Insert(0, "global");
        }

        return string.Join("_", parts);
    }
}
