using System;
using System.Linq;
using Synapse.Generators.Common;

namespace Synapse.Generators.Messages;

/// <summary>Emits <c>Synapse.Generated.SynapseFormatters</c>: message formatters and collection/enum/nullable helpers.</summary>
internal static class FormatterEmitter
{
    public const string HintName = "Synapse.Formatters.g.cs";
    private const string W = WireCode.Writer;
    private const string R = WireCode.Reader;
    private const string SequenceEqual = "global::System.MemoryExtensions.SequenceEqual";
    private const string InitialCapacityLimit = "4096";

    public static string Emit(FormatterSet set)
    {
        var w = new SourceWriter();
        GeneratedCode.WriteHeader(w);
        w.OpenBlock("namespace Synapse.Generated");
        w.WriteLine("/// <summary>MessagePack formatters generated for the [SynapseMessage] types and wire types of this assembly.</summary>");
        w.WriteLine(GeneratedCode.Attribute);
        w.OpenBlock("internal static partial class SynapseFormatters");
        var first = true;
        foreach (var message in set.Messages)
        {
            Separate(w, ref first);
            WriteMessage(w, message);
        }

        foreach (var helper in set.Helpers)
        {
            Separate(w, ref first);
            WriteHelper(w, helper);
        }

        w.CloseBlock();
        w.CloseBlock();
        return w.ToSourceText();
    }

    private static void Separate(SourceWriter w, ref bool first)
    {
        if (!first)
        {
            w.WriteLine();
        }

        first = false;
    }

    private static string I(int value) => Literals.Invariant(value);

    private static void WriteMessage(SourceWriter w, MessageModel message)
    {
        var parameterType = message.IsValueType ? message.TypeName : message.TypeName + "?";
        w.WriteLine("/// <summary>Writes a <see cref=\"" + Literals.Xml(message.TypeName.Replace("global::", "")) + "\"/> as a map.</summary>");
        w.OpenBlock("public static void Write(ref " + W + " writer, " + parameterType + " value)");
        if (!message.IsValueType)
        {
            w.OpenBlock("if (value is null)");
            w.WriteLine("writer.WriteNil();");
            w.WriteLine("return;");
            w.CloseBlock();
            w.WriteLine();
        }

        w.WriteLine("writer.WriteMapHeader(" + I(message.Members.Count) + ");");
        foreach (var member in message.Members)
        {
            w.WriteLine("writer.WriteStringUtf8(" + Literals.Utf8(member.Key) + ");");
            w.WriteLine(WireCode.Write(member.Type, "writer", "value." + member.Name));
        }

        w.CloseBlock();
        w.WriteLine();

        w.WriteLine("/// <summary>Reads a <see cref=\"" + Literals.Xml(message.TypeName.Replace("global::", "")) + "\"/> from a map; unknown keys are skipped.</summary>");
        w.OpenBlock("public static " + message.TypeName + " Read_" + message.Mangled + "(ref " + R + " reader)");
        w.WriteLine("reader.IncreaseDepth();");
        w.WriteLine("var count = reader.ReadMapHeader();");
        for (var i = 0; i < message.Members.Count; i++)
        {
            var member = message.Members[i];
            w.WriteLine(member.Type.TypeName + " v" + I(i) + " = " + (member.DefaultLiteral ?? WireCode.Placeholder(member.Type)) + ";");
            if (NeedsFlag(member))
            {
                w.WriteLine("var has" + I(i) + " = false;");
            }
        }

        w.OpenBlock("for (var i = 0; i < count; i++)");
        if (message.Members.Count == 0)
        {
            w.WriteLine("reader.Skip();");
            w.WriteLine("reader.Skip();");
        }
        else
        {
            w.OpenBlock("if (reader.NextType != global::Synapse.MessagePack.MsgPackType.String)");
            w.WriteLine("reader.Skip();");
            w.WriteLine("reader.Skip();");
            w.WriteLine("continue;");
            w.CloseBlock();
            w.WriteLine();
            WireCode.WriteReadKeyword(w, "reader", "key");
            for (var i = 0; i < message.Members.Count; i++)
            {
                var member = message.Members[i];
                w.OpenBlock((i == 0 ? "if (" : "else if (") + SequenceEqual + "(key, " + Literals.Utf8(member.Key) + "))");
                w.WriteLine("v" + I(i) + " = " + WireCode.Read(member.Type, "reader") + ";");
                if (NeedsFlag(member))
                {
                    w.WriteLine("has" + I(i) + " = true;");
                }

                w.CloseBlock();
            }

            w.OpenBlock("else");
            w.WriteLine("reader.Skip();");
            w.CloseBlock();
        }

        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("reader.DecreaseDepth();");
        for (var i = 0; i < message.Members.Count; i++)
        {
            var member = message.Members[i];
            if (member.IsRequired)
            {
                w.OpenBlock("if (!has" + I(i) + ")");
                w.WriteLine("throw new global::System.FormatException(" + Literals.String(message.Display + ": missing required key '" + member.Key + "'") + ");");
                w.CloseBlock();
                w.WriteLine();
            }
        }

        var constructorArguments = string.Join(", ", message.ConstructorMembers.Select(i => "v" + I(i)));
        var initializers = message.Members.Select((m, i) => (Member: m, Index: i)).Where(x => x.Member.Binding == MemberBinding.Initializer).ToList();
        if (initializers.Count == 0)
        {
            w.WriteLine("var result = new " + message.TypeName + "(" + constructorArguments + ");");
        }
        else
        {
            w.WriteLine("var result = new " + message.TypeName + "(" + constructorArguments + ")");
            w.WriteLine("{");
            w.Indent++;
            foreach (var (member, index) in initializers)
            {
                w.WriteLine(member.Name + " = v" + I(index) + ",");
            }

            w.Indent--;
            w.WriteLine("};");
        }

        for (var i = 0; i < message.Members.Count; i++)
        {
            var member = message.Members[i];
            if (member.Binding == MemberBinding.Setter)
            {
                w.OpenBlock("if (has" + I(i) + ")");
                w.WriteLine("result." + member.Name + " = v" + I(i) + ";");
                w.CloseBlock();
                w.WriteLine();
            }
        }

        w.WriteLine("return result;");
        w.CloseBlock();
    }

    private static bool NeedsFlag(MemberModel member) => member.IsRequired || member.Binding == MemberBinding.Setter;

    private static void WriteHelper(SourceWriter w, TypeModel type)
    {
        switch (type.Kind)
        {
            case WireKind.Binary:
                WriteNullCheckedWriter(w, type, "writer.WriteBinary(value);");
                w.WriteLine();
                w.WriteLine("public static byte[] Read_" + type.Mangled + "(ref " + R + " reader) => reader.ReadBinary();");
                break;
            case WireKind.MsgPackValue:
                WriteNullCheckedWriter(w, type, "value.WriteTo(ref writer);");
                w.WriteLine();
                w.WriteLine("public static global::Synapse.MessagePack.MsgPackValue Read_" + type.Mangled + "(ref " + R + " reader) => global::Synapse.MessagePack.MsgPackValue.ReadFrom(ref reader);");
                break;
            case WireKind.Guid:
                WriteGuid(w, type);
                break;
            case WireKind.Enum:
                WriteEnum(w, type);
                break;
            case WireKind.NullableValue:
                WriteNullableValue(w, type);
                break;
            case WireKind.Array:
                WriteArray(w, type);
                break;
            case WireKind.List:
            case WireKind.ReadOnlyList:
            case WireKind.IList:
            case WireKind.ReadOnlyCollection:
            case WireKind.Collection:
            case WireKind.Enumerable:
                WriteList(w, type);
                break;
            case WireKind.Dictionary:
            case WireKind.ReadOnlyDictionary:
            case WireKind.IDictionary:
                WriteDictionary(w, type);
                break;
            default:
                throw new InvalidOperationException("no helper for " + type.Kind);
        }
    }

    private static void WriteNullCheckedWriter(SourceWriter w, TypeModel type, string write)
    {
        w.OpenBlock("public static void Write_" + type.Mangled + "(ref " + W + " writer, " + type.TypeName + "? value)");
        w.OpenBlock("if (value is null)");
        w.WriteLine("writer.WriteNil();");
        w.WriteLine("return;");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine(write);
        w.CloseBlock();
    }

    private static void WriteGuid(SourceWriter w, TypeModel type)
    {
        w.OpenBlock("public static void Write_" + type.Mangled + "(ref " + W + " writer, global::System.Guid value)");
        w.WriteLine("writer.WriteString(value.ToString(\"D\"));");
        w.CloseBlock();
        w.WriteLine();
        w.OpenBlock("public static global::System.Guid Read_" + type.Mangled + "(ref " + R + " reader)");
        w.OpenBlock("if (reader.TryReadStringSpan(out var span))");
        w.OpenBlock("if (global::System.Buffers.Text.Utf8Parser.TryParse(span, out global::System.Guid value, out var consumed, 'D') && consumed == span.Length)");
        w.WriteLine("return value;");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("return global::System.Guid.Parse(global::System.Text.Encoding.UTF8.GetString(span));");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("return global::System.Guid.Parse(reader.ReadString());");
        w.CloseBlock();
    }

    private static void WriteEnum(SourceWriter w, TypeModel type)
    {
        var model = type.Enum!;
        var unsigned = model.Underlying is WireKind.Byte or WireKind.UInt16 or WireKind.UInt32 or WireKind.UInt64;
        w.OpenBlock("public static void Write_" + type.Mangled + "(ref " + W + " writer, " + type.TypeName + " value)");
        var distinct = model.Members.Where(m => m.IsFirstWithValue).ToList();
        if (distinct.Count > 0)
        {
            w.OpenBlock("switch (value)");
            foreach (var member in distinct)
            {
                w.WriteLine("case " + type.TypeName + "." + Literals.Identifier(member.Name) + ":");
                w.Indent++;
                w.WriteLine("writer.WriteStringUtf8(" + Literals.Utf8(member.Name) + ");");
                w.WriteLine("return;");
                w.Indent--;
            }

            w.CloseBlock();
            w.WriteLine();
        }

        w.WriteLine(unsigned ? "writer.WriteUInt64((ulong)value);" : "writer.WriteInt64((long)value);");
        w.CloseBlock();
        w.WriteLine();

        w.OpenBlock("public static " + type.TypeName + " Read_" + type.Mangled + "(ref " + R + " reader)");
        w.OpenBlock("if (reader.NextType == global::Synapse.MessagePack.MsgPackType.String)");
        w.WriteLine("global::System.ReadOnlySpan<byte> name = reader.TryReadStringSpan(out var span) ? span : global::System.Buffers.BuffersExtensions.ToArray(reader.ReadStringSequence());");
        foreach (var member in model.Members)
        {
            w.OpenBlock("if (" + SequenceEqual + "(name, " + Literals.Utf8(member.Name) + "))");
            w.WriteLine("return " + type.TypeName + "." + Literals.Identifier(member.Name) + ";");
            w.CloseBlock();
            w.WriteLine();
        }

        w.WriteLine("throw new global::System.FormatException(\"'\" + global::System.Text.Encoding.UTF8.GetString(name) + " + Literals.String("' is not a member of " + type.Display) + ");");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("return (" + type.TypeName + ")reader." + WireCode.ReadMethod(model.Underlying) + "();");
        w.CloseBlock();
    }

    private static void WriteNullableValue(SourceWriter w, TypeModel type)
    {
        var element = type.Element!;
        w.OpenBlock("public static void Write_" + type.Mangled + "(ref " + W + " writer, " + type.TypeName + " value)");
        w.OpenBlock("if (value.HasValue)");
        w.WriteLine(WireCode.Write(element, "writer", "value.GetValueOrDefault()"));
        w.CloseBlock();
        w.OpenBlock("else");
        w.WriteLine("writer.WriteNil();");
        w.CloseBlock();
        w.CloseBlock();
        w.WriteLine();
        w.OpenBlock("public static " + type.TypeName + " Read_" + type.Mangled + "(ref " + R + " reader)");
        w.OpenBlock("if (reader.TryReadNil())");
        w.WriteLine("return null;");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("return " + WireCode.Read(element, "reader") + ";");
        w.CloseBlock();
    }

    private static void WriteArray(SourceWriter w, TypeModel type)
    {
        var element = type.Element!;
        w.OpenBlock("public static void Write_" + type.Mangled + "(ref " + W + " writer, " + type.TypeName + "? value)");
        w.OpenBlock("if (value is null)");
        w.WriteLine("writer.WriteNil();");
        w.WriteLine("return;");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("writer.WriteArrayHeader(value.Length);");
        w.OpenBlock("for (var i = 0; i < value.Length; i++)");
        w.WriteLine(WireCode.Write(element, "writer", "value[i]"));
        w.CloseBlock();
        w.CloseBlock();
        w.WriteLine();
        w.OpenBlock("public static " + type.TypeName + " Read_" + type.Mangled + "(ref " + R + " reader)");
        w.WriteLine("var count = reader.ReadArrayHeader();");
        w.WriteLine(type.TypeName + " result = count == 0 ? global::System.Array.Empty<" + element.TypeName + ">() : " + WireCode.NewArray(element, "count") + ";");
        w.OpenBlock("for (var i = 0; i < count; i++)");
        w.WriteLine("result[i] = " + WireCode.Read(element, "reader") + ";");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("return result;");
        w.CloseBlock();
    }

    private static void WriteList(SourceWriter w, TypeModel type)
    {
        var element = type.Element!;
        var list = "global::System.Collections.Generic.List<" + element.TypeName + ">";
        w.OpenBlock("public static void Write_" + type.Mangled + "(ref " + W + " writer, " + type.TypeName + "? value)");
        w.OpenBlock("if (value is null)");
        w.WriteLine("writer.WriteNil();");
        w.WriteLine("return;");
        w.CloseBlock();
        w.WriteLine();
        if (type.Kind is WireKind.List or WireKind.IList or WireKind.ReadOnlyList)
        {
            w.WriteLine("var count = value.Count;");
            w.WriteLine("writer.WriteArrayHeader(count);");
            w.OpenBlock("for (var i = 0; i < count; i++)");
            w.WriteLine(WireCode.Write(element, "writer", "value[i]"));
            w.CloseBlock();
        }
        else
        {
            var collection = type.Kind == WireKind.Collection
                ? "value"
                : "value as global::System.Collections.Generic.ICollection<" + element.TypeName + "> ?? new " + list + "(value)";
            w.WriteLine("var items = " + collection + ";");
            w.WriteLine("writer.WriteArrayHeader(items.Count);");
            w.OpenBlock("foreach (var item in items)");
            w.WriteLine(WireCode.Write(element, "writer", "item"));
            w.CloseBlock();
        }

        w.CloseBlock();
        w.WriteLine();
        w.OpenBlock("public static " + type.TypeName + " Read_" + type.Mangled + "(ref " + R + " reader)");
        w.WriteLine("var count = reader.ReadArrayHeader();");
        w.WriteLine("var result = new " + list + "(global::System.Math.Min(count, " + InitialCapacityLimit + "));");
        w.OpenBlock("for (var i = 0; i < count; i++)");
        w.WriteLine("result.Add(" + WireCode.Read(element, "reader") + ");");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("return result;");
        w.CloseBlock();
    }

    private static void WriteDictionary(SourceWriter w, TypeModel type)
    {
        var element = type.Element!;
        var dictionary = "global::System.Collections.Generic.Dictionary<string, " + element.TypeName + ">";
        w.OpenBlock("public static void Write_" + type.Mangled + "(ref " + W + " writer, " + type.TypeName + "? value)");
        w.OpenBlock("if (value is null)");
        w.WriteLine("writer.WriteNil();");
        w.WriteLine("return;");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("writer.WriteMapHeader(value.Count);");
        w.OpenBlock("foreach (var pair in value)");
        w.WriteLine("writer.WriteString(pair.Key);");
        w.WriteLine(WireCode.Write(element, "writer", "pair.Value"));
        w.CloseBlock();
        w.CloseBlock();
        w.WriteLine();
        w.OpenBlock("public static " + type.TypeName + " Read_" + type.Mangled + "(ref " + R + " reader)");
        w.WriteLine("var count = reader.ReadMapHeader();");
        w.WriteLine("var result = new " + dictionary + "(global::System.Math.Min(count, " + InitialCapacityLimit + "));");
        w.OpenBlock("for (var i = 0; i < count; i++)");
        w.WriteLine("var key = reader.ReadString();");
        w.WriteLine("result[key] = " + WireCode.Read(element, "reader") + ";");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("return result;");
        w.CloseBlock();
    }
}
