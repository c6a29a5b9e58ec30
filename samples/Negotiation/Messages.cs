using System.Globalization;
using System.Text;
using Synapse.Relay;
using Synapse.Relay.Client;

namespace Negotiation;

/// <summary>The negotiation's messages: one word and a price, as UTF-8 text ("offer 70", "counter 90", "accept 85").</summary>
internal static class Messages
{
    public static string Make(string word, int price) => $"{word} {price.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The price of a message with the given word, or null for any other message.</summary>
    public static int? Read(RelayMessage message, string word)
    {
        var text = Encoding.UTF8.GetString(message.Payload.Span);
        var parts = text.Split(' ');
        return parts.Length == 2 && parts[0] == word && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var price) ? price : null;
    }
}
