using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Synapse.Generators.Common;

/// <summary>What the analyses read from an attribute: its named values, and where it and its arguments are written (for diagnostics).</summary>
internal static class AttributeArguments
{
    /// <summary>The value of the named argument <paramref name="name"/>, or null when it is not given or is an array.</summary>
    public static object? Named(AttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == name)
            {
                return argument.Value.Kind == TypedConstantKind.Array ? null : argument.Value.Value;
            }
        }

        return null;
    }

    /// <summary>Where the attribute is written.</summary>
    public static Location? Location(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();

    /// <summary>Where argument <paramref name="index"/> is written, or the attribute when it is not.</summary>
    public static Location? Location(AttributeData attribute, int index, CancellationToken cancellationToken) =>
        Arguments(attribute, cancellationToken) is { } list && list.Count > index
            ? list[index].GetLocation()
            : Location(attribute, cancellationToken);

    /// <summary>Where the named argument <paramref name="name"/> is written, or the attribute when it is not.</summary>
    public static Location? Location(AttributeData attribute, string name, CancellationToken cancellationToken) =>
        NamedSyntax(attribute, name, cancellationToken)?.GetLocation() ?? Location(attribute, cancellationToken);

    /// <summary>The syntax of the named argument <paramref name="name"/>, or null.</summary>
    public static AttributeArgumentSyntax? NamedSyntax(AttributeData attribute, string name, CancellationToken cancellationToken) =>
        Arguments(attribute, cancellationToken)?.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    /// <summary>The syntax of the arguments as written, or null when there are none.</summary>
    public static SeparatedSyntaxList<AttributeArgumentSyntax>? Arguments(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList: { } list } ? list.Arguments : null;
}
