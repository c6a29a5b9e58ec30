using System;
using System.Text;

namespace Synapse.Generators.Common;

/// <summary>A small indentation-aware text builder for generated C# (no SyntaxFactory, no NormalizeWhitespace).</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _indent;

    public int Indent
    {
        get => _indent;
        set
        {
            if (value < 0)
            {
                throw new InvalidOperationException("Indentation cannot be negative.");
            }

            _indent = value;
        }
    }

    /// <summary>Writes a line at the current indentation; embedded newlines are re-indented line by line.</summary>
    public SourceWriter WriteLine(string text)
    {
        if (text.IndexOf('\n') < 0)
        {
            WriteSingleLine(text);
            return this;
        }

        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            WriteSingleLine(line);
        }

        return this;
    }

    public SourceWriter WriteLine()
    {
        _builder.Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="text"/> and an opening brace, then indents.</summary>
    public SourceWriter OpenBlock(string text)
    {
        WriteLine(text);
        WriteLine("{");
        _indent++;
        return this;
    }

    /// <summary>Unindents and writes a closing brace followed by <paramref name="suffix"/>.</summary>
    public SourceWriter CloseBlock(string suffix = "")
    {
        Indent--;
        WriteLine("}" + suffix);
        return this;
    }

    /// <summary>Returns the text; throws when blocks are left open.</summary>
    public string ToSourceText()
    {
        if (_indent != 0)
        {
            throw new InvalidOperationException("Unbalanced indentation in generated source: " + _indent);
        }

        return _builder.ToString();
    }

    private void WriteSingleLine(string line)
    {
        if (line.Length > 0)
        {
            for (var i = 0; i < _indent; i++)
            {
                _builder.Append(IndentUnit);
            }

            _builder.Append(line);
        }

        _builder.Append('\n');
    }
}
