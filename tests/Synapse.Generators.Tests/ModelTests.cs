using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Synapse.Generators.Common;
using Synapse.Generators.Diagnostics;
using Synapse.Generators.Messages;
using Synapse.Generators.Nodes;

namespace Synapse.Generators.Tests;

public class ModelTests
{
    private static readonly Type[] ModelTypes = typeof(AgentNodeGenerator).Assembly.GetTypes()
        .Where(t => t.Namespace is "Synapse.Generators.Nodes" or "Synapse.Generators.Messages" or "Synapse.Generators.Diagnostics" or "Synapse.Generators.Flows" &&
                    (t.GetMethod("<Clone>$") is not null || IsNamedLikeAModel(t.Name)) &&
                    !t.IsEnum && !t.IsNested && !t.IsAbstract && !t.Name.Contains('<', StringComparison.Ordinal))
        .ToArray();

    public static TheoryData<string> ModelTypeNames()
    {
        var data = new TheoryData<string>();
        foreach (var type in ModelTypes)
        {
            data.Add(type.Name);
        }

        return data;
    }

    [Fact]
    public void Finds_the_models()
    {
        Assert.Contains(typeof(NodeModel), ModelTypes);
        Assert.Contains(typeof(TypeModel), ModelTypes);
        Assert.Contains(typeof(DiagnosticInfo), ModelTypes);
        Assert.Contains(typeof(Synapse.Generators.Flows.FlowNodeModel), ModelTypes);
        Assert.Contains(typeof(Synapse.Generators.Flows.FlowCheckModel), ModelTypes);
        Assert.Contains(typeof(Synapse.Generators.Flows.TriggersFile), ModelTypes);
        Assert.True(ModelTypes.Length >= 28, "found " + ModelTypes.Length);
    }

    [Theory]
    [MemberData(nameof(ModelTypeNames))]
    public void Model_is_an_equatable_record_of_plain_data(string name)
    {
        var type = ModelTypes.Single(t => t.Name == name);
        Assert.True(IsRecord(type), name + " should be a record");
        Assert.True(typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type), name + " should implement IEquatable<" + name + ">");
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.Name == "<EqualityContract>k__BackingField")
            {
                continue;
            }

            AssertPlainData(field.FieldType, name + "." + field.Name);
        }
    }

    /// <summary>Pipeline outputs are named for what they are; a type so named that is not a record fails the test below.</summary>
    private static bool IsNamedLikeAModel(string name) =>
        name.EndsWith("Model", StringComparison.Ordinal) || name.EndsWith("Result", StringComparison.Ordinal);

    private static bool IsRecord(Type type) =>
        type.GetMethod("<Clone>$") is not null ||
        (type.IsValueType && type.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic) is not null);

    private static void AssertPlainData(Type type, string where)
    {
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(SemanticModel), typeof(Compilation), typeof(SyntaxTree) };
        Assert.DoesNotContain(forbidden, f => f.IsAssignableFrom(type));
        Assert.False(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>), where + " holds an ImmutableArray (reference equality)");
        Assert.False(type.IsArray, where + " holds an array (reference equality); use EquatableArray<T>");

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            AssertPlainData(underlying, where);
            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            AssertPlainData(type.GetGenericArguments()[0], where + "[]");
            return;
        }

        var allowed = type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TextSpan) || type == typeof(LinePositionSpan) ||
            ModelTypes.Contains(type);
        Assert.True(allowed, where + " has type " + type + ", which is not plain equatable data");
    }
}

public class EquatableArrayTests
{
    [Fact]
    public void Default_and_empty_are_equal()
    {
        var defaultArray = default(EquatableArray<string>);
        var empty = new EquatableArray<string>(Array.Empty<string>());
        Assert.True(defaultArray.Equals(empty));
        Assert.True(defaultArray == empty);
        Assert.Equal(defaultArray.GetHashCode(), empty.GetHashCode());
        Assert.True(defaultArray.IsEmpty);
        Assert.Empty(defaultArray);
    }

    [Fact]
    public void Equality_is_element_wise()
    {
        var a = new EquatableArray<string>(new[] { "x", "y" });
        var b = new EquatableArray<string>(new List<string> { "x", "y" });
        var c = new EquatableArray<string>(new[] { "x", "z" });
        var d = new EquatableArray<string>(new[] { "x" });
        Assert.True(a.Equals(b));
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a.Equals(c));
        Assert.True(a != c);
        Assert.False(a.Equals(d));
    }

    [Fact]
    public void Equals_object_handles_boxing_and_other_types()
    {
        var a = new EquatableArray<int>(new[] { 1, 2, 3 });
        object boxed = new EquatableArray<int>(new[] { 1, 2, 3 });
        Assert.True(a.Equals(boxed));
        Assert.True(boxed.Equals(a));
        Assert.False(a.Equals((object)new[] { 1, 2, 3 }));
        Assert.False(a.Equals(null));
        Assert.False(a.Equals((object)new EquatableArray<int>(new[] { 1, 2 })));
    }

    [Fact]
    public void Nested_models_compare_by_value()
    {
        static TypeModel Make() => new(WireKind.List, "global::System.Collections.Generic.List<int>", "List_Int32", "List<int>",
            new TypeModel(WireKind.Int32, "int", "Int32", "int", null, null, true), null, false);

        var a = new EquatableArray<TypeModel>(new[] { Make() });
        var b = new EquatableArray<TypeModel>(new[] { Make() });
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void ToArray_returns_a_copy()
    {
        var source = new[] { 1, 2 };
        var array = new EquatableArray<int>(source);
        var copy = array.ToArray();
        copy[0] = 42;
        Assert.Equal(1, array[0]);
    }
}
