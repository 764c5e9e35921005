using System.Collections.ObjectModel;

namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// The family-specific settings of one request (MERT's ChunkSeconds, …) by name, so that a family's knob is declared
/// by the family (<see cref="FamilyOption"/>) and not added to the shared request. Immutable.
/// </summary>
public sealed class FamilyOptions
{
    private readonly IReadOnlyDictionary<string, object> _values;

    private FamilyOptions(IReadOnlyDictionary<string, object> values) => _values = values;

    public static FamilyOptions Empty { get; } = new(new Dictionary<string, object>());

    public IEnumerable<KeyValuePair<string, object>> Values => _values;

    /// <summary>These options and <paramref name="name"/> set to <paramref name="value"/>.</summary>
    public FamilyOptions With(string name, object value)
    {
        var copy = new Dictionary<string, object>(_values, StringComparer.OrdinalIgnoreCase) { [name] = value };
        return new FamilyOptions(new ReadOnlyDictionary<string, object>(copy));
    }

    public bool TryGet<T>(string name, out T value)
    {
        foreach (var (key, v) in _values)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && v is T typed) { value = typed; return true; }
        value = default!;
        return false;
    }

    public override string ToString() => string.Join(", ", _values.Select(v => $"{v.Key}={v.Value}"));
}

/// <summary>
/// A setting a family accepts: its name, its type, and its check (null when the value is fine, else why not).
/// The engine refuses a request naming an option its family does not declare, or one failing its check.
/// </summary>
public sealed record FamilyOption(string Name, Type Type, string Description, Func<object, string?>? Check = null)
{
    /// <summary>Null when <paramref name="value"/> is acceptable, else the reason.</summary>
    public string? Validate(object value) =>
        !Type.IsInstanceOfType(value) ? $"-{Name} takes a {Type.Name}, not '{value}'" : Check?.Invoke(value);
}
