using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Synapse.Generators.Common;

namespace Synapse.Generators.Nodes;

/// <summary>Reads <c>&lt;summary&gt;</c> and <c>&lt;param&gt;</c> text from XML documentation comments.</summary>
internal sealed class DocComments
{
    private DocComments(string summary, Dictionary<string, string> parameters)
    {
        Summary = summary;
        Parameters = parameters;
    }

    /// <summary>The summary, trimmed and whitespace-collapsed ("" when none).</summary>
    public string Summary { get; }

    public Dictionary<string, string> Parameters { get; }

    public static DocComments Read(ISymbol symbol, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var xml = symbol.GetDocumentationCommentXml(expandIncludes: false, cancellationToken: cancellationToken);
        if (Literals.IsNullOrWhiteSpace(xml))
        {
            xml = FromCommentTrivia(symbol, cancellationToken);
        }

        if (Literals.IsNullOrWhiteSpace(xml))
        {
            return new DocComments("", parameters);
        }

        XElement root;
        try
        {
            root = XElement.Parse(xml, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            return new DocComments("", parameters);
        }

        var summary = "";
        foreach (var element in root.Elements())
        {
            if (element.Name.LocalName == "summary" && summary.Length == 0)
            {
                summary = Text(element);
            }
            else if (element.Name.LocalName == "param" && element.Attribute("name")?.Value is { } name && !parameters.ContainsKey(name))
            {
                parameters.Add(name, Text(element));
            }
        }

        return new DocComments(summary, parameters);
    }

    /// <summary>
    /// Projects without <c>GenerateDocumentationFile</c> compile with documentation mode None, where the compiler does
    /// not parse <c>///</c> comments; read them from the trivia so descriptions work either way.
    /// </summary>
    private static string? FromCommentTrivia(ISymbol symbol, CancellationToken cancellationToken)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            var lines = new StringBuilder();
            foreach (var trivia in reference.GetSyntax(cancellationToken).GetLeadingTrivia())
            {
                if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
                {
                    var text = trivia.ToString();
                    if (text.StartsWith("///", StringComparison.Ordinal))
                    {
                        lines.AppendLine(text.Substring(3));
                    }
                    else
                    {
                        lines.Clear();
                    }
                }
            }

            if (lines.Length > 0)
            {
                return "<doc>" + lines + "</doc>";
            }
        }

        return null;
    }

    private static string Text(XElement element)
    {
        var builder = new StringBuilder();
        Append(element, builder);
        return Literals.Collapse(builder.ToString());
    }

    private static void Append(XElement element, StringBuilder builder)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    builder.Append(text.Value);
                    break;
                case XElement child:
                    switch (child.Name.LocalName)
                    {
                        case "see":
                        case "seealso":
                            if (!child.IsEmpty)
                            {
                                Append(child, builder);
                            }
                            else if (child.Attribute("langword")?.Value is { } word)
                            {
                                builder.Append(word);
                            }
                            else if (child.Attribute("cref")?.Value is { } cref)
                            {
                                builder.Append(CrefName(cref));
                            }
                            else if (child.Attribute("href")?.Value is { } href)
                            {
                                builder.Append(href);
                            }

                            break;
                        case "paramref":
                        case "typeparamref":
                            builder.Append(child.Attribute("name")?.Value);
                            break;
                        case "para":
                        case "br":
                            builder.Append(' ');
                            Append(child, builder);
                            builder.Append(' ');
                            break;
                        default:
                            Append(child, builder);
                            break;
                    }

                    break;
            }
        }
    }

    private static string CrefName(string cref)
    {
        var name = cref;
        if (name.Length > 2 && name[1] == ':')
        {
            name = name.Substring(2);
        }

        var paren = name.IndexOf('(');
        if (paren >= 0)
        {
            name = name.Substring(0, paren);
        }

        var dot = name.LastIndexOf('.');
        if (dot >= 0)
        {
            name = name.Substring(dot + 1);
        }

        var tick = name.IndexOf('`');
        return tick >= 0 ? name.Substring(0, tick) : name;
    }
}
