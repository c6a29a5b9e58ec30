using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Synapse.Generators.Common;

namespace Synapse.Generators.Messages;

/// <summary>Formats parameter default values as C# expressions and JSON values (invariant culture).</summary>
internal static class DefaultValues
{
    /// <summary>A C# expression for the default value of a parameter of wire type <paramref name="model"/>.</summary>
    public static string Literal(object? value, ITypeSymbol type, TypeModel model)
    {
        if (value is null)
        {
            if (model.IsNullable)
            {
                return "null";
            }

            return type.IsReferenceType ? "null!" : "default(" + model.TypeName + ")";
        }

        var scalar = model.Kind == WireKind.NullableValue ? model.Element! : model;
        if (scalar.Kind == WireKind.Enum)
        {
            var number = Number(value, scalar.Enum!.Underlying);
            return "(" + scalar.TypeName + ")" + (number.StartsWith("-", StringComparison.Ordinal) ? "(" + number + ")" : number);
        }

        return value switch
        {
            bool b => Literals.Bool(b),
            string s => Literals.String(s),
            double d => Literals.Double(d),
            float f => Literals.Single(f),
            _ => Number(value, scalar.Kind),
        };
    }

    /// <summary>The JSON value of a default, or null when JSON cannot express it.</summary>
    public static string? Json(object? value, TypeModel model)
    {
        if (value is null)
        {
            return model.IsNullable ? "null" : null;
        }

        var scalar = model.Kind == WireKind.NullableValue ? model.Element! : model;
        if (scalar.Kind == WireKind.Enum)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture);
            foreach (var member in scalar.Enum!.Members)
            {
                if (member.Value == text)
                {
                    return Literals.JsonString(member.Name);
                }
            }

            return null;
        }

        return value switch
        {
            bool b => b ? "true" : "false",
            string s => Literals.JsonString(s),
            double d => double.IsNaN(d) || double.IsInfinity(d) ? null : d.ToString("R", CultureInfo.InvariantCulture),
            float f => float.IsNaN(f) || float.IsInfinity(f) ? null : f.ToString("R", CultureInfo.InvariantCulture),
            sbyte or byte or short or ushort or int or uint or long or ulong => Convert.ToString(value, CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    private static string Number(object value, WireKind kind)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "0";
        return kind switch
        {
            WireKind.SByte => "(sbyte)" + Paren(text),
            WireKind.Byte => "(byte)" + text,
            WireKind.Int16 => "(short)" + Paren(text),
            WireKind.UInt16 => "(ushort)" + text,
            WireKind.UInt32 => text + "U",
            WireKind.Int64 => text + "L",
            WireKind.UInt64 => text + "UL",
            WireKind.Single => Literals.Single(Convert.ToSingle(value, CultureInfo.InvariantCulture)),
            WireKind.Double => Literals.Double(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            _ => text,
        };
    }

    private static string Paren(string text) => text.StartsWith("-", StringComparison.Ordinal) ? "(" + text + ")" : text;
}
