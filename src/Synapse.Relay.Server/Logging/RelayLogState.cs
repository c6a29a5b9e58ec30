using System.Collections;
using System.Text;

namespace Synapse.Relay.Logging;

/// <summary>
/// A relay record as structured logging state: its fields (already filtered by <c>log_keys</c>), then the message as
/// <c>{OriginalFormat}</c>, the key log processors look for; as text, the message followed by <c>key=value</c> pairs.
/// </summary>
internal sealed class RelayLogState(string message, IReadOnlyList<KeyValuePair<string, object?>> fields) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => fields.Count + 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == fields.Count ? new("{OriginalFormat}", message) : fields[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString()
    {
        var text = new StringBuilder(message);
        foreach (var (key, value) in fields)
        {
            text.Append(' ').Append(key).Append('=').Append(value);
        }

        return text.ToString();
    }
}
