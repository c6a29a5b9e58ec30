using System;
using Synapse.Generators.Common;

namespace Synapse.Generators.Messages;

/// <summary>C# snippets that read and write one value of a wire type with the Synapse MessagePack codec.</summary>
internal static class WireCode
{
    public const string Formatters = "global::Synapse.Generated.SynapseFormatters";
    public const string Writer = "global::Synapse.MessagePack.MsgPackWriter";
    public const string Reader = "global::Synapse.MessagePack.MsgPackReader";

    /// <summary>An expression that reads a value of <paramref name="type"/> from the reader variable <paramref name="reader"/>.</summary>
    public static string Read(TypeModel type, string reader) => type.Kind switch
    {
        WireKind.Boolean => reader + ".ReadBoolean()",
        WireKind.SByte => reader + ".ReadSByte()",
        WireKind.Byte => reader + ".ReadByte()",
        WireKind.Int16 => reader + ".ReadInt16()",
        WireKind.UInt16 => reader + ".ReadUInt16()",
        WireKind.Int32 => reader + ".ReadInt32()",
        WireKind.UInt32 => reader + ".ReadUInt32()",
        WireKind.Int64 => reader + ".ReadInt64()",
        WireKind.UInt64 => reader + ".ReadUInt64()",
        WireKind.Single => reader + ".ReadSingle()",
        WireKind.Double => reader + ".ReadDouble()",
        WireKind.String => reader + ".ReadString()",
        WireKind.DateTimeOffset => reader + ".ReadTimestamp()",
        WireKind.Binary => reader + ".ReadBinary()",
        WireKind.BinaryMemory => "new global::System.ReadOnlyMemory<byte>(" + reader + ".ReadBinary())",
        WireKind.MsgPackValue => "global::Synapse.MessagePack.MsgPackValue.ReadFrom(ref " + reader + ")",
        WireKind.NullableRef when type.Element!.Kind == WireKind.String => reader + ".ReadNullableString()",
        WireKind.NullableRef => "(" + reader + ".TryReadNil() ? null : " + Read(type.Element!, reader) + ")",
        _ => Formatters + ".Read_" + type.Mangled + "(ref " + reader + ")",
    };

    /// <summary>A statement that writes <paramref name="value"/> of <paramref name="type"/> with the writer variable <paramref name="writer"/>.</summary>
    public static string Write(TypeModel type, string writer, string value) => type.Kind switch
    {
        WireKind.Boolean => writer + ".WriteBoolean(" + value + ");",
        WireKind.SByte or WireKind.Int16 or WireKind.Int32 => writer + ".WriteInt32(" + value + ");",
        WireKind.Byte or WireKind.UInt16 or WireKind.UInt32 => writer + ".WriteUInt32(" + value + ");",
        WireKind.Int64 => writer + ".WriteInt64(" + value + ");",
        WireKind.UInt64 => writer + ".WriteUInt64(" + value + ");",
        WireKind.Single => writer + ".WriteSingle(" + value + ");",
        WireKind.Double => writer + ".WriteDouble(" + value + ");",
        WireKind.String => writer + ".WriteString(" + value + ");",
        WireKind.DateTimeOffset => writer + ".WriteTimestamp(" + value + ");",
        WireKind.BinaryMemory => writer + ".WriteBinary(" + value + ".Span);",
        WireKind.NullableRef => Write(type.Element!, writer, value),
        WireKind.Message => Formatters + ".Write(ref " + writer + ", " + value + ");",
        _ => Formatters + ".Write_" + type.Mangled + "(ref " + writer + ", " + value + ");",
    };

    /// <summary>The initial value of a local of <paramref name="type"/> that is assigned before use.</summary>
    public static string Placeholder(TypeModel type) => type.IsValueType || type.IsNullable ? "default" : "default!";

    /// <summary>An array creation expression <c>new E[count]</c> for element type <paramref name="element"/> (jagged arrays handled).</summary>
    public static string NewArray(TypeModel element, string count)
    {
        var suffix = "";
        var innermost = element;
        while (true)
        {
            if (innermost.Kind == WireKind.Array)
            {
                suffix += "[]";
                innermost = innermost.Element!;
            }
            else if (innermost.Kind == WireKind.NullableRef && innermost.Element!.Kind == WireKind.Array)
            {
                suffix += "[]";
                innermost = innermost.Element.Element!;
            }
            else if (innermost.Kind == WireKind.Binary)
            {
                return "new byte[" + count + "][]" + suffix;
            }
            else if (innermost.Kind == WireKind.NullableRef && innermost.Element!.Kind == WireKind.Binary)
            {
                return "new byte[" + count + "][]" + suffix;
            }
            else
            {
                break;
            }
        }

        return "new " + innermost.TypeName + "[" + count + "]" + suffix;
    }

    public static string ReadMethod(WireKind kind) => kind switch
    {
        WireKind.SByte => "ReadSByte",
        WireKind.Byte => "ReadByte",
        WireKind.Int16 => "ReadInt16",
        WireKind.UInt16 => "ReadUInt16",
        WireKind.Int32 => "ReadInt32",
        WireKind.UInt32 => "ReadUInt32",
        WireKind.Int64 => "ReadInt64",
        WireKind.UInt64 => "ReadUInt64",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Writes code that reads a map key (a keyword name) into <paramref name="variable"/> as a span of UTF-8 bytes.</summary>
    public static void WriteReadKeyword(SourceWriter w, string reader, string variable)
    {
        w.OpenBlock("if (!" + reader + ".TryReadStringSpan(out var " + variable + "))");
        w.WriteLine(variable + " = global::System.Buffers.BuffersExtensions.ToArray(" + reader + ".ReadStringSequence());");
        w.CloseBlock();
        w.WriteLine();
    }
}
