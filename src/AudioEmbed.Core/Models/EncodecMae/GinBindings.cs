using System.Globalization;
using AudioEmbed.Core.Checkpoints;

namespace AudioEmbed.Core.Models.EncodecMae;

/// <summary>
/// The bindings of a gin config text, enough of the gin grammar for the composed configs EnCodecMAE checkpoints
/// carry: <c>MACRO = value</c>, <c>[scope/]module.Name.param = value</c>, <c>#</c> comments, values spanning
/// lines while brackets are open, and <c>%MACRO</c> references. Values stay text; typed getters parse them.
/// Lookup follows gin's rule that a scoped request falls back to the unscoped binding.
/// </summary>
internal sealed class GinBindings
{
    private readonly Dictionary<string, string> _macros = new(StringComparer.Ordinal);
    private readonly List<(string Scope, string Name, string Param, string Value)> _bindings = new();

    private GinBindings(string filePath) => FilePath = filePath;

    /// <summary>The checkpoint the text came from, named in every error.</summary>
    public string FilePath { get; }

    public static GinBindings Parse(string text, string filePath)
    {
        var gin = new GinBindings(filePath);
        string? pending = null;
        foreach (var raw in text.Split('\n'))
        {
            string line = StripComment(raw).Trim();
            if (line.Length == 0) continue;
            pending = pending is null ? line : pending + " " + line;
            if (Depth(pending) > 0) continue; // a list or tuple continues on the next line
            gin.Add(pending);
            pending = null;
        }
        if (pending is not null) gin.Add(pending);
        return gin;
    }

    /// <summary>The value bound to <c>[scope/]…Name.param</c> with macros resolved, or null.</summary>
    public string? Find(string? scope, string name, string param)
    {
        string? unscoped = null;
        for (int i = _bindings.Count - 1; i >= 0; i--) // the last binding wins, as in gin
        {
            var b = _bindings[i];
            if (b.Name != name || b.Param != param) continue;
            if (scope is not null && b.Scope == scope) return Resolve(b.Value, 0);
            if (b.Scope.Length == 0) unscoped ??= b.Value;
        }
        return unscoped is null ? null : Resolve(unscoped, 0);
    }

    public string Require(string? scope, string name, string param) =>
        Find(scope, name, param) ?? throw Missing(scope, name, param);

    public int RequireInt(string? scope, string name, string param) => (int)Math.Round(RequireNumber(scope, name, param, integer: true));

    public double RequireDouble(string? scope, string name, string param) => RequireNumber(scope, name, param, integer: false);

    public int IntOr(string? scope, string name, string param, int fallback) =>
        Find(scope, name, param) is null ? fallback : RequireInt(scope, name, param);

    public bool BoolOr(string? scope, string name, string param, bool fallback)
    {
        var value = Find(scope, name, param);
        return value switch
        {
            null => fallback,
            "True" => true,
            "False" => false,
            _ => throw Bad(scope, name, param, value, "True or False"),
        };
    }

    /// <summary>A list or tuple of numbers, e.g. <c>[-6.12, 4.82]</c>.</summary>
    public double[] RequireNumbers(string? scope, string name, string param)
    {
        string value = Require(scope, name, param);
        if (value.Length < 2 || !((value[0] == '[' && value[^1] == ']') || (value[0] == '(' && value[^1] == ')')))
            throw Bad(scope, name, param, value, "a list of numbers");
        var parts = value[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var numbers = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(Resolve(parts[i], 0), NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
                throw Bad(scope, name, param, value, "a list of numbers");
        return numbers;
    }

    /// <summary>A quoted string value without its quotes, or a reference (<c>@…</c>) as written.</summary>
    public string? FindText(string? scope, string name, string param)
    {
        var value = Find(scope, name, param);
        if (value is { Length: >= 2 } && (value[0] == '\'' || value[0] == '"') && value[^1] == value[0]) return value[1..^1];
        return value;
    }

    public CheckpointException Bad(string? scope, string name, string param, string value, string expected) =>
        new(FilePath, $"the gin binding has the value '{value}'; {expected} is needed", Key(scope, name, param));

    private CheckpointException Missing(string? scope, string name, string param) =>
        new(FilePath, "the gin config in the checkpoint lacks a binding this model needs", Key(scope, name, param));

    private static string Key(string? scope, string name, string param) => (scope is null ? "" : scope + "/") + name + "." + param;

    private double RequireNumber(string? scope, string name, string param, bool integer)
    {
        string value = Require(scope, name, param);
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v)
            || (integer && (v != Math.Floor(v) || Math.Abs(v) > int.MaxValue)))
            throw Bad(scope, name, param, value, integer ? "an integer" : "a number");
        return v;
    }

    private void Add(string statement)
    {
        int eq = statement.IndexOf('=');
        if (eq <= 0) return; // import lines, include lines and anything else the model does not need
        string key = statement[..eq].Trim(), value = statement[(eq + 1)..].Trim();
        if (key.StartsWith("import ", StringComparison.Ordinal) || key.StartsWith("include ", StringComparison.Ordinal)) return;
        int slash = key.LastIndexOf('/');
        string scope = slash < 0 ? "" : key[..slash];
        string selector = slash < 0 ? key : key[(slash + 1)..];
        int lastDot = selector.LastIndexOf('.');
        if (lastDot < 0)
        {
            if (scope.Length == 0) _macros[selector] = value;
            return;
        }
        string param = selector[(lastDot + 1)..];
        string qualified = selector[..lastDot];
        string name = qualified[(qualified.LastIndexOf('.') + 1)..]; // "transformers.TransformerEncoder" → "TransformerEncoder"
        _bindings.Add((scope, name, param, value));
    }

    private string Resolve(string value, int depth)
    {
        if (value.Length > 1 && value[0] == '%')
        {
            if (depth > 16) throw new CheckpointException(FilePath, "gin macros refer to each other in a cycle", value);
            if (!_macros.TryGetValue(value[1..], out var target))
                throw new CheckpointException(FilePath, "the gin config refers to a macro it does not define", value);
            return Resolve(target, depth + 1);
        }
        return value;
    }

    private static string StripComment(string line)
    {
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; }
            else if (c == '\'' || c == '"') quote = c;
            else if (c == '#') return line[..i];
        }
        return line;
    }

    private static int Depth(string text)
    {
        int depth = 0;
        foreach (char c in text)
            if (c is '[' or '(' or '{') depth++;
            else if (c is ']' or ')' or '}') depth--;
        return depth;
    }
}
