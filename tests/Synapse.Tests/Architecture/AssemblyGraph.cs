using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Synapse.Tests.Architecture;

/// <summary>
/// What a compiled assembly depends on, read from its metadata and IL with System.Reflection.Metadata (nothing is
/// loaded): the assemblies it references, and which of its namespaces use which others.
/// </summary>
internal sealed class AssemblyGraph
{
    private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    internal AssemblyGraph(string name, IReadOnlyList<string> references, IReadOnlyDictionary<string, HashSet<string>> namespaceUses)
    {
        Name = name;
        References = references;
        NamespaceUses = namespaceUses;
    }

    /// <summary>The assembly's simple name.</summary>
    public string Name { get; }

    /// <summary>The simple names of the assemblies it references.</summary>
    public IReadOnlyList<string> References { get; }

    /// <summary>For each namespace of the assembly, the other namespaces of the same assembly its code uses.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> NamespaceUses { get; }

    public static AssemblyGraph Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var references = md.AssemblyReferences.Select(r => md.GetString(md.GetAssemblyReference(r).Name)).Order(StringComparer.Ordinal).ToList();
        var uses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            var from = NamespaceOf(md, handle);
            if (!IsOurs(from))
            {
                continue; // <Module>, <PrivateImplementationDetails>, and what other tools' generators add (configuration binding)
            }

            var used = uses.TryGetValue(from, out var set) ? set : uses[from] = new HashSet<string>(StringComparer.Ordinal);
            if (!type.BaseType.IsNil)
            {
                AddTarget(md, type.BaseType, used);
            }

            foreach (var implementation in type.GetInterfaceImplementations())
            {
                AddTarget(md, md.GetInterfaceImplementation(implementation).Interface, used);
            }

            foreach (var method in type.GetMethods())
            {
                var rva = md.GetMethodDefinition(method).RelativeVirtualAddress;
                if (rva != 0)
                {
                    ScanIl(md, pe.GetMethodBody(rva).GetILReader(), used);
                }
            }

            used.Remove(from);
            used.RemoveWhere(target => !IsOurs(target));
        }

        return new AssemblyGraph(md.GetString(md.GetAssemblyDefinition().Name), references, uses);
    }

    /// <summary>The sets of namespaces that use each other in a circle (strongly connected, two or more).</summary>
    public List<List<string>> NamespaceCycles()
    {
        var index = 0;
        var stack = new Stack<string>();
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLinks = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<List<string>>();

        void Visit(string node)
        {
            indexes[node] = lowLinks[node] = index++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in NamespaceUses.TryGetValue(node, out var targets) ? targets : [])
            {
                if (!indexes.ContainsKey(next))
                {
                    Visit(next);
                    lowLinks[node] = Math.Min(lowLinks[node], lowLinks[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLinks[node] = Math.Min(lowLinks[node], indexes[next]);
                }
            }

            if (lowLinks[node] == indexes[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    cycles.Add(component);
                }
            }
        }

        foreach (var node in NamespaceUses.Keys.Order(StringComparer.Ordinal))
        {
            if (!indexes.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return cycles;
    }

    private static void ScanIl(MetadataReader md, BlobReader il, HashSet<string> used)
    {
        while (il.RemainingBytes > 0)
        {
            short value = il.ReadByte();
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il.ReadByte());
            }

            switch (OperandTypes[value])
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                    AddTarget(md, MetadataTokens.EntityHandle(il.ReadInt32()), used);
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineBrTarget:
                case OperandType.InlineI:
                case OperandType.InlineSig:
                case OperandType.InlineString:
                case OperandType.ShortInlineR:
                    il.Offset += 4;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
            }
        }
    }

    /// <summary>Adds the namespace of a type defined in this assembly that <paramref name="handle"/> leads to.</summary>
    private static void AddTarget(MetadataReader md, EntityHandle handle, HashSet<string> used)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                used.Add(NamespaceOf(md, (TypeDefinitionHandle)handle));
                break;
            case HandleKind.MethodDefinition:
                used.Add(NamespaceOf(md, md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()));
                break;
            case HandleKind.FieldDefinition:
                used.Add(NamespaceOf(md, md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()));
                break;
            case HandleKind.MemberReference:
                var parent = md.GetMemberReference((MemberReferenceHandle)handle).Parent;
                if (parent.Kind is HandleKind.TypeDefinition or HandleKind.TypeSpecification)
                {
                    AddTarget(md, parent, used);
                }

                break;
            case HandleKind.MethodSpecification:
                AddTarget(md, md.GetMethodSpecification((MethodSpecificationHandle)handle).Method, used);
                break;
            case HandleKind.TypeSpecification:
                // A generic instantiation: its generic type definition comes first in the signature blob.
                var blob = md.GetBlobReader(md.GetTypeSpecification((TypeSpecificationHandle)handle).Signature);
                if (blob.ReadSignatureTypeCode() == SignatureTypeCode.GenericTypeInstance)
                {
                    blob.ReadSignatureTypeCode();
                    AddTarget(md, blob.ReadTypeHandle(), used);
                }

                break;
        }
    }

    /// <summary>Whether a namespace is one of ours: the graph is about our own layering, not code other generators emit into the assembly.</summary>
    private static bool IsOurs(string ns) => ns == "Synapse" || ns.StartsWith("Synapse.", StringComparison.Ordinal);

    /// <summary>The namespace of a type, or of the outermost type it is nested in.</summary>
    private static string NamespaceOf(MetadataReader md, TypeDefinitionHandle handle)
    {
        var type = md.GetTypeDefinition(handle);
        while (type.IsNested)
        {
            type = md.GetTypeDefinition(type.GetDeclaringType());
        }

        return md.GetString(type.Namespace);
    }
}
